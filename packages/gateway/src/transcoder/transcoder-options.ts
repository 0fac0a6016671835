import type { IncomingMessage } from "node:http";
import type { DescService, Registry } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import type { RouteInfo } from "./route-info.js";

/** Options of {@link createTranscoder}. */
export interface TranscoderOptions {
  /** The annotated services to expose; methods without a google.api.http rule are not exposed. */
  services: DescService[];
  /**
   * The upstream transport of a service. Called once per service, at start. Any Connect
   * Transport works; `createUpstreamTransport` is the fast one for gRPC or Connect over HTTP/2.
   */
  transportFor(service: DescService): Transport;
  /** Deadline of each unary call in ms (default 10 000); a call that outlives it is DEADLINE_EXCEEDED, HTTP 504. */
  timeoutMs?: number;
  /** Deadline of server-, client- and bidi-streaming calls in ms; none by default (a stream lives until the client leaves). */
  streamTimeoutMs?: number;
  /** Request headers passed to the backend as metadata (default: {@link DEFAULT_FORWARD_HEADERS}). */
  forwardHeaders?: string[];
  /** Extra attempts after UNAVAILABLE, only for idempotent methods (GET, or idempotency_level NO_SIDE_EFFECTS / IDEMPOTENT). Default 1. */
  retries?: number;
  /**
   * Runs after routing, before the request is parsed (e.g. edge authentication, so anonymous
   * callers learn nothing about a request's shape). A thrown ConnectError becomes the response.
   * `raw` is {@link TranscodeRequest.raw}, for per-request notes such as an access log's.
   * Returned name-value pairs are added to the call's metadata (e.g. the proxy's own credentials
   * or the client address it saw), after the forwarded headers, whatever the client sent; a
   * forwarded header of the same name is dropped (e.g. Authorization replaced by the proxy's).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that adds nothing returns nothing.
  beforeCall?(call: { route: RouteInfo; headers: Headers; raw: IncomingMessage }): CallMetadata | void | Promise<CallMetadata | void>;
  /**
   * Request headers that identify the caller (default: {@link DEFAULT_CREDENTIAL_HEADERS}). A
   * request with any of them is never answered from or kept in the shared response cache, a
   * `public` Cache-Control becomes `private` for it, and cacheable responses `Vary` on them.
   */
  credentialHeaders?: readonly string[];
  /** Cache-Control of successful GET responses for a route; undefined means `no-store`. */
  cacheControl?(route: RouteInfo): string | undefined;
  /**
   * How long (ms) an anonymous GET of `route` may be answered from the transcoder's own cache
   * of whole responses (response-cache.ts); 0 or undefined: never. Only for routes whose answer
   * is the same for every anonymous caller and may be kept by shared caches.
   */
  sharedCacheTtlMs?(route: RouteInfo): number;
  /** Most responses that cache keeps (default 1000). */
  sharedCacheEntries?: number;
  /**
   * Most bytes of recent unary responses the transcoder keeps decoded, so a response that comes
   * back byte for byte is neither decoded nor written as JSON again (response-dedupe.ts; only
   * with `createUpstreamTransport`). Default 4 MiB; 0 keeps none.
   */
  responseDedupeBytes?: number;
  /**
   * Response metadata of a route to copy to the HTTP response as headers (lower-case names,
   * e.g. `location`, `retry-after`), beyond the request id. Nothing else crosses, so backend
   * internals stay internal.
   */
  responseHeaders?(route: RouteInfo): readonly string[];
  /** More types to resolve inside google.protobuf.Any, beyond those the services' files import. */
  typeRegistry?: Registry;
  /**
   * Query parameters to skip silently instead of rejecting them as unknown (INVALID_ARGUMENT):
   * exact names, or RegExps tested against the whole name, for what clients and proxies add on
   * their own, e.g. `["_", /^utm_/]` for cache-busters and campaign tags. Only a parameter that
   * names no request field is skipped; one that names a field is bound (or refused) as ever,
   * even when listed, so the list can never hide a real input. Default: none, strict as Envoy's
   * transcoder without `ignore_unknown_query_parameters`.
   */
  ignoredQueryParameters?: readonly (string | RegExp)[];
  /**
   * The request field of `route` that the `Idempotency-Key` header fills: a top-level string
   * field, by proto name (e.g. `request_id`); undefined for none. A non-empty header sets the
   * field when the request left it empty; a request that set it to another value is
   * INVALID_ARGUMENT, as is a header longer than 255 characters. The value itself is the
   * service's to check. A name that is not such a field makes createTranscoder throw. The
   * field is also {@link RouteInfo.idempotencyKeyField}, so OpenAPI documents the header.
   */
  idempotencyKeyField?(route: RouteInfo): string | undefined;
}

/**
 * Request headers forwarded as metadata by default: credentials, W3C trace context, the
 * request id and the caller's language.
 */
export const DEFAULT_FORWARD_HEADERS: readonly string[] = ["authorization", "traceparent", "tracestate", "x-request-id", "accept-language"];

/** Metadata {@link TranscoderOptions.beforeCall} adds to an upstream call: name-value pairs, or nothing. */
export type CallMetadata = readonly (readonly [string, string])[] | undefined;
/** Request headers that identify the caller, by default: the bearer token. */
export const DEFAULT_CREDENTIAL_HEADERS: readonly string[] = ["Authorization"];
