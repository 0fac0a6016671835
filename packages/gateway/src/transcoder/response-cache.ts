import type { TranscodeRequest, TranscodeResponse } from "./transcoder.js";

/*
 * A micro-cache of whole responses at the edge, for GETs a route lets shared caches keep
 * (RFC 9111 §3: `Cache-Control: public`): the same request within a second or two is answered
 * from memory, without a backend call or JSON encoding, which is what hot public reads such as
 * a popular search cost most. It keeps only anonymous requests' responses (RFC 9111 §3.5: a
 * shared cache does not reuse a response to a request with Authorization; nor does this one for any other credential header,
 * such as an API key), varies on the
 * language forwarded to the backend, and never stores the request id, which is set per request.
 * Staleness is bounded by the route's TTL, which the API already allows any shared cache.
 */

interface Entry {
  headers: [string, string][];
  body: Uint8Array;
  until: number;
}

/** A bounded map of cached responses; the least recently stored entry goes first. */
export interface ResponseCache {
  /** The cache key of `req` on a route, or undefined when the request may not be served from cache. */
  keyOf(routeTemplate: string, req: TranscodeRequest): string | undefined;
  get(key: string, req: TranscodeRequest): TranscodeResponse | undefined;
  set(key: string, res: TranscodeResponse, ttlMs: number): void;
}

/** A response cache of at most `max` entries, for requests without any of the `credentials` headers (lower-case). */
export function createResponseCache(max: number, credentials: readonly string[] = ["authorization"], now: () => number = Date.now): ResponseCache {
  const entries = new Map<string, Entry>();
  return {
    keyOf(routeTemplate, req) {
      if (req.method !== "GET" && req.method !== "HEAD") return undefined;
      if (credentials.some((h) => req.headers.has(h))) return undefined;
      return `${routeTemplate}\n${req.path}?${req.query}\n${req.headers.get("accept-language") ?? ""}`;
    },
    get(key, req) {
      const e = entries.get(key);
      if (e === undefined) return undefined;
      if (e.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      const headers = new Headers(e.headers);
      const requestId = req.headers.get("x-request-id");
      if (requestId !== null) headers.set("x-request-id", requestId);
      return { status: 200, headers, body: e.body };
    },
    set(key, res, ttlMs) {
      if (ttlMs <= 0 || res.status !== 200 || !(res.body instanceof Uint8Array)) return;
      const headers = [...res.headers].filter(([k]) => k !== "x-request-id");
      entries.delete(key);
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, { headers, body: res.body, until: now() + ttlMs });
    },
  };
}
