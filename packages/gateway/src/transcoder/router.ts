import { compareSpecificity, matchTemplate, splitRequestPath } from "./path-template.js";
import type { CompiledRoute } from "./routes.js";

/** What routing found for a request. */
export type RouteMatch =
  | { kind: "found"; route: CompiledRoute; pathValues: Map<string, string> }
  /** The path exists with other methods: 405 with `Allow`. */
  | { kind: "method-not-allowed"; allow: string[] }
  | { kind: "not-found" };

/** Matches requests against compiled routes. */
export interface Router {
  match(httpMethod: string, path: string): RouteMatch;
}

/**
 * Builds the router. Routes are kept most specific first, so the first route that matches a
 * path with the request's method is the one to use: a literal beats a variable at the same
 * position (`/users/me` over `/users/{id}`), as in grpc-gateway and Envoy, and among equally
 * specific templates the one declared first wins.
 */
export function createRouter(routes: readonly CompiledRoute[]): Router {
  const ordered = routes
    .map((route, i) => ({ route, i }))
    .sort((a, b) => compareSpecificity(a.route.specificity, b.route.specificity) || a.i - b.i)
    .map((x) => x.route);
  // Bucketing by the first literal segment keeps matching cheap with many routes.
  const byFirst = new Map<string, CompiledRoute[]>();
  const anyFirst: CompiledRoute[] = [];
  for (const r of ordered) {
    const first = r.template.segments[0];
    if (first?.kind === "literal" && !(r.template.segments.length === 1 && r.template.verb !== undefined)) {
      byFirst.set(first.value, [...(byFirst.get(first.value) ?? []), r]);
    } else {
      anyFirst.push(r);
    }
  }

  return {
    match(httpMethod, path) {
      const segments = splitRequestPath(path);
      if (!segments) return { kind: "not-found" };
      const first = safeDecode(segments[0]);
      const candidates = mergeOrdered(first === undefined ? [] : (byFirst.get(first) ?? []), anyFirst, ordered);
      const allow = new Set<string>();
      for (const route of candidates) {
        const values = matchTemplate(route.template, segments);
        if (!values) continue;
        if (route.info.httpMethod === httpMethod) return { kind: "found", route, pathValues: values };
        allow.add(route.info.httpMethod);
      }
      if (allow.size === 0) return { kind: "not-found" };
      return { kind: "method-not-allowed", allow: [...allow].sort() };
    },
  };
}

function mergeOrdered(a: CompiledRoute[], b: CompiledRoute[], order: readonly CompiledRoute[]): CompiledRoute[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const set = new Set([...a, ...b]);
  return order.filter((r) => set.has(r));
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
