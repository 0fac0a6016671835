/**
 * Response metadata copied back to the HTTP response. Nothing else is: backend headers and
 * trailers are internal (grpc-gateway prefixes them `Grpc-Metadata-`; we do not expose them at
 * all), except the request id, which ties a client's report to the backend's logs.
 */
const RESPONSE_HEADERS = ["x-request-id"];

/** The response headers to keep from upstream metadata: the request id and `extra`. */
export function copyResponseHeaders(from: Headers, extra: readonly string[] = []): Headers {
  const out = new Headers();
  for (const h of extra.length === 0 ? RESPONSE_HEADERS : [...RESPONSE_HEADERS, ...extra]) {
    const v = from.get(h);
    if (v !== null) out.set(h, v);
  }
  return out;
}
