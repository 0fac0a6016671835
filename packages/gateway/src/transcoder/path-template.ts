// Path templates of google/api/http.proto ("Path template syntax"):
//
//   Template = "/" Segments [ Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   FieldPath = IDENT { "." IDENT } ;
//   Verb     = ":" LITERAL ;
//
// A template is parsed once at start into a flat list of segments; a variable remembers the
// range of segments it captures. Matching is a linear walk, since `**` may only come last.

/** One segment of a parsed template. */
export type TemplateSegment =
  | { kind: "literal"; value: string }
  /** `*`: exactly one non-empty segment. */
  | { kind: "wildcard" }
  /** `**`: zero or more segments; only allowed last (before the verb). */
  | { kind: "deep" };

/** A `{field.path=...}` variable: segments [start, end) of the template. */
export interface TemplateVariable {
  fieldPath: string;
  start: number;
  end: number;
}

/** A parsed path template. */
export interface PathTemplate {
  source: string;
  segments: TemplateSegment[];
  variables: TemplateVariable[];
  verb?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a template; throws an Error naming the template when it does not follow the grammar. */
export function parsePathTemplate(source: string): PathTemplate {
  const fail = (why: string): never => {
    throw new Error(`invalid path template "${source}": ${why}`);
  };
  if (!source.startsWith("/")) fail("must start with /");
  let body = source.slice(1);
  let verb: string | undefined;
  // The verb is a `:` after the last segment; a `:` inside `{...}` or an earlier segment is not one.
  const lastSlash = body.lastIndexOf("/");
  const lastBrace = body.lastIndexOf("}");
  const colon = body.indexOf(":", Math.max(lastSlash, lastBrace) + 1);
  if (colon >= 0) {
    verb = body.slice(colon + 1);
    body = body.slice(0, colon);
    if (!verb || verb.includes("/")) fail("empty or invalid verb");
  }
  const segments: TemplateSegment[] = [];
  const variables: TemplateVariable[] = [];
  let i = 0;
  const parts = splitTopLevel(body, fail);
  for (const part of parts) {
    if (part.startsWith("{")) {
      if (!part.endsWith("}")) fail(`unclosed variable ${part}`);
      const inner = part.slice(1, -1);
      const eq = inner.indexOf("=");
      const fieldPath = eq < 0 ? inner : inner.slice(0, eq);
      if (!fieldPath.split(".").every((p) => IDENT.test(p))) fail(`invalid field path "${fieldPath}"`);
      const sub = eq < 0 ? "*" : inner.slice(eq + 1);
      if (sub.includes("{")) fail("a variable must not contain variables");
      const start = i;
      for (const s of sub.split("/")) {
        segments.push(segmentOf(s, fail));
        i++;
      }
      variables.push({ fieldPath, start, end: i });
    } else {
      segments.push(segmentOf(part, fail));
      i++;
    }
  }
  const deep = segments.findIndex((s) => s.kind === "deep");
  if (deep >= 0 && deep !== segments.length - 1) fail("** must be the last segment");
  const seen = new Set<string>();
  for (const v of variables) {
    if (seen.has(v.fieldPath)) fail(`variable ${v.fieldPath} bound twice`);
    seen.add(v.fieldPath);
  }
  return { source, segments, variables, verb };
}

function splitTopLevel(body: string, fail: (why: string) => never): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of body) {
    if (ch === "{") depth++;
    if (ch === "}") depth--;
    if (depth < 0 || depth > 1) fail("unbalanced braces");
    if (ch === "/" && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (depth !== 0) fail("unbalanced braces");
  parts.push(current);
  return parts;
}

function segmentOf(s: string, fail: (why: string) => never): TemplateSegment {
  if (s === "*") return { kind: "wildcard" };
  if (s === "**") return { kind: "deep" };
  if (s === "" || /[{}*]/.test(s)) fail(`invalid segment "${s}"`);
  // Literals with reserved characters are written percent-encoded (http.proto); compare decoded.
  return { kind: "literal", value: decodeOrUndefined(s) ?? fail(`bad percent-encoding in "${s}"`) };
}

/**
 * Splits a request path (still percent-encoded, without the query) into segments. The leading
 * "/" is dropped; "%2F" inside a segment stays part of it.
 */
export function splitRequestPath(path: string): string[] | undefined {
  if (!path.startsWith("/")) return undefined;
  return path.slice(1).split("/");
}

/**
 * Matches raw request segments against a template. Returns the decoded value of each variable
 * by field path, or undefined when the path does not match.
 */
export function matchTemplate(t: PathTemplate, raw: string[]): Map<string, string> | undefined {
  let segs = raw;
  if (t.verb !== undefined) {
    const last = segs[segs.length - 1] ?? "";
    const suffix = `:${t.verb}`;
    if (!last.endsWith(suffix)) return undefined;
    segs = [...segs.slice(0, -1), last.slice(0, -suffix.length)];
    // "/v1/static/**:download" on "/v1/static:download" leaves one empty segment for `**`.
    if (segs.length > 0 && segs[segs.length - 1] === "" && t.segments.at(-1)?.kind === "deep") segs = segs.slice(0, -1);
  }
  const deepLast = t.segments.at(-1)?.kind === "deep";
  if (deepLast ? segs.length < t.segments.length - 1 : segs.length !== t.segments.length) return undefined;
  for (let i = 0; i < t.segments.length; i++) {
    const s = t.segments[i];
    if (s.kind === "deep") break;
    const seg = segs[i];
    if (seg === "") return undefined;
    if (s.kind === "literal" && decodeOrUndefined(seg) !== s.value) return undefined;
  }
  const values = new Map<string, string>();
  for (const v of t.variables) {
    const end = deepLast && v.end === t.segments.length ? segs.length : v.end;
    const captured = segs.slice(v.start, end);
    // http.proto: a single-segment variable is fully percent-decoded; a multi-segment one is
    // decoded except "%2F"/"%2f", so an encoded slash stays distinguishable from a separator.
    const single = v.end - v.start === 1 && t.segments[v.start].kind !== "deep";
    const decoded = single ? decodeOrUndefined(captured[0]) : decodeKeepingSlashes(captured);
    if (decoded === undefined) return undefined;
    values.set(v.fieldPath, decoded);
  }
  return values;
}

function decodeKeepingSlashes(segments: string[]): string | undefined {
  const out: string[] = [];
  for (const seg of segments) {
    const pieces = seg.split(/%2F/i).map(decodeOrUndefined);
    if (pieces.some((p) => p === undefined)) return undefined;
    out.push(pieces.join("%2F"));
  }
  return out.join("/");
}

function decodeOrUndefined(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * How specific a template is, for choosing among templates that match the same path (most
 * specific wins): a custom verb first, then segment by segment literal > `*` > `**`. Compare
 * with {@link compareSpecificity}.
 */
export function specificity(t: PathTemplate): number[] {
  const rank = { literal: 3, wildcard: 2, deep: 1 } as const;
  return [t.verb === undefined ? 0 : 1, ...t.segments.map((s) => rank[s.kind])];
}

/** Negative when `a` is more specific than `b`. */
export function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (b[i] ?? 0) - (a[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
