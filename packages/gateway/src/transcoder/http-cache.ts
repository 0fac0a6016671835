import { hash } from "node:crypto";

// HTTP caching of successful GETs (RFC 9110 §8.8.3 ETag, §13.1.2 If-None-Match, RFC 9111).
// The ETag is a hash of the exact bytes sent, so it is strong: two responses with the same tag
// are byte-identical. The backend still runs on every request (the transcoder cannot know a
// resource's version without asking), so what a 304 saves is the transfer and the client's
// parsing, and it lets clients and intermediaries revalidate instead of refetching.

/** A strong entity tag for a body: the base64url SHA-256 of its bytes, shortened. */
export function etagOf(body: Uint8Array): string {
  // 128 bits of SHA-256 keep collisions out of reach while keeping the header short. The
  // one-shot hash() is the same digest at half the cost of a createHash() object.
  return `"${hash("sha256", body, "base64url").slice(0, 22)}"`;
}

/**
 * Whether an If-None-Match header matches the tag, i.e. the client's copy is current. RFC 9110
 * §13.1.2 asks for the weak comparison here, so `W/"x"` matches `"x"`; `*` matches anything.
 */
export function ifNoneMatchMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const mine = opaque(etag);
  return header.split(",").some((t) => opaque(t) === mine);
}

/**
 * Cache-Control for a successful GET when the application does not say otherwise. `no-store`:
 * a transcoded response usually depends on who asks (the Authorization header is forwarded)
 * and may carry personal data, so nothing, not the browser and not a shared cache, keeps a copy
 * unless the API opts in per route (in TripHub, the edge option's cache_max_age_seconds, whose
 * zero value also means `no-store`). The ETag is still sent, so a client that keeps its own
 * copy can revalidate with If-None-Match.
 */
export const DEFAULT_CACHE_CONTROL = "no-store";

/**
 * A Cache-Control for a response to a caller who sent credentials: `public` becomes `private`
 * and the directives only shared caches read (`s-maxage`, `proxy-revalidate`) go, so only the
 * caller's own cache may keep it. `no-store` and `private` stay as they are.
 */
export function privateCacheControl(cacheControl: string): string {
  const directives = cacheControl
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean);
  if (directives.some((d) => /^(no-store|private)\b/i.test(d))) return cacheControl;
  return ["private", ...directives.filter((d) => !/^(public|s-maxage\s*=.*|proxy-revalidate)$/i.test(d))].join(", ");
}

/** A Vary header with `names` added to what it already lists (each once, `*` kept). */
export function varyOn(current: string | null, names: readonly string[]): string {
  const listed = (current ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  if (listed.includes("*")) return "*";
  const seen = new Set(listed.map((n) => n.toLowerCase()));
  return [...listed, ...names.filter((n) => !seen.has(n.toLowerCase()))].join(", ");
}
