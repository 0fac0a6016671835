import type { IncomingMessage } from "node:http";
import type { DescMethod, Message } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues, type Transport } from "@connectrpc/connect";
import { callClientStream } from "./client-stream.js";
import { acceptsContentType } from "./content-type.js";
import { httpStatusOf, retryAfterOf, serviceLabel, statusJson, toPublicError } from "./errors.js";
import { DEFAULT_CACHE_CONTROL, etagOf, ifNoneMatchMatches, privateCacheControl, varyOn } from "./http-cache.js";
import { IDEMPOTENCY_KEY_HEADER } from "./idempotency-key.js";
import { ignoredQueryParameter } from "./query-params.js";
import { bindRequest, requestBinder } from "./request-binding.js";
import { bodyBytes, bodyInput, DEFAULT_BODY_LIMIT, type RequestBody, singleInput } from "./request-stream.js";
import { createResponseCache } from "./response-cache.js";
import { createResponseDedupe, DEFAULT_RESPONSE_DEDUPE_BYTES, responseDedupeKey } from "./response-dedupe.js";
import { copyResponseHeaders } from "./response-headers.js";
import { encodeJson, JSON_CONTENT_TYPE, unaryResponse } from "./response.js";
import type { RouteInfo } from "./route-info.js";
import { createRouter } from "./router.js";
import { type CompiledRoute, compileRoutes, streamsRequest } from "./routes.js";
import { callStream, type StreamCallContext } from "./stream-call.js";
import { type CallMetadata, DEFAULT_CREDENTIAL_HEADERS, DEFAULT_FORWARD_HEADERS, type TranscoderOptions } from "./transcoder-options.js";
import { createTypeRegistry } from "./type-registry.js";

/** One HTTP request, as the transcoder sees it (independent of the HTTP server). */
export interface TranscodeRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The path, still percent-encoded, without the query. */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  headers: Headers;
  /**
   * The raw request body; undefined when there is none. A stream of chunks still arriving is
   * what client- and bidi-streaming routes want (see {@link Transcoder.streamsRequestBody}): their
   * messages go upstream as they arrive. Other routes read a stream to the end first.
   */
  body: RequestBody;
  /**
   * Most bytes of one request message: the whole body, or each JSON value of a streamed body
   * (a stream as a whole has no limit). fastifyTranscoder passes Fastify's bodyLimit. Default
   * 4 MiB, gRPC's default maximum message size. A larger message is INVALID_ARGUMENT.
   */
  bodyLimit?: number;
  /** Aborted when the client goes away: cancels the upstream call. */
  signal?: AbortSignal;
  /**
   * The server's own request object, passed to `beforeCall` untouched (fastifyTranscoder sets
   * Fastify's `req.raw`). Only a caller of `handle()` that leaves it out sees it undefined there.
   */
  raw?: IncomingMessage;
}

/** The HTTP response to send. A server or bidi stream has an async iterable body. */
export interface TranscodeResponse {
  status: number;
  headers: Headers;
  body: Uint8Array | AsyncIterable<Uint8Array>;
}

/** A REST→RPC transcoder: its routes, and the request handler. */
export interface Transcoder {
  /** Every REST binding, in declaration order (for documentation, e.g. OpenAPI). */
  routes: readonly RouteInfo[];
  /** Transcodes one HTTP request. Never throws: every failure is an HTTP error response. */
  handle(req: TranscodeRequest): Promise<TranscodeResponse>;
  /**
   * Whether a request goes to a client- or bidi-streaming route, whose body handle() should get
   * as a stream while it arrives rather than as bytes once it is complete.
   */
  streamsRequestBody(method: string, path: string): boolean;
}

/**
 * Builds a transcoder for the google.api.http rules of the given services: routes REST
 * requests, binds path, query and JSON body into the request message, calls the backend over
 * its Connect transport, and writes proto3 JSON (or google.rpc.Status JSON on failure). A
 * google.api.HttpBody request body or response is passed as raw bytes instead (http-body.ts).
 * Server and bidi streams answer with newline-delimited JSON or SSE (streaming.ts); client and
 * bidi streams read their request messages from the body, one JSON value each, as it arrives
 * (request-stream.ts). Throws at start if a rule cannot work.
 */
export function createTranscoder(opts: TranscoderOptions): Transcoder {
  const compiled = compileRoutes(opts.services, opts.idempotencyKeyField);
  const router = createRouter(compiled);
  const registry = createTypeRegistry(opts.services, opts.typeRegistry);
  const transports = new Map(opts.services.map((s) => [s.typeName, opts.transportFor(s)]));
  const forward = (opts.forwardHeaders ?? DEFAULT_FORWARD_HEADERS).map((h) => h.toLowerCase());
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const retries = opts.retries ?? 1;
  const passHeaders = new Map(compiled.map((r) => [r, (opts.responseHeaders?.(r.info) ?? []).map((h) => h.toLowerCase())]));
  const passOf = (route: CompiledRoute | undefined) => (route ? (passHeaders.get(route) ?? []) : []);
  const credentials = opts.credentialHeaders ?? DEFAULT_CREDENTIAL_HEADERS;
  const credentialNames = credentials.map((h) => h.toLowerCase());
  const hasCredentials = (req: TranscodeRequest) => credentialNames.some((h) => req.headers.has(h));
  const responses = createResponseCache(opts.sharedCacheEntries ?? 1000, credentialNames);
  const dedupe = createResponseDedupe(opts.responseDedupeBytes ?? DEFAULT_RESPONSE_DEDUPE_BYTES);
  const labels = new Map(compiled.map((r) => [r, serviceLabel(r.info.service.name)]));
  const ignored = ignoredQueryParameter(opts.ignoredQueryParameters);
  const sharedTtl = new Map(compiled.map((r) => [r, r.kind === "unary" && r.info.httpMethod === "GET" ? (opts.sharedCacheTtlMs?.(r.info) ?? 0) : 0]));

  // `route` names the service a failure is attributed to, and the headers it passes on.
  const errorResponse = (e: unknown, extra?: Headers, route?: CompiledRoute, attributed = true): TranscodeResponse => {
    const err = toPublicError(e, route && attributed ? labels.get(route) : undefined);
    const headers = copyResponseHeaders(err.metadata, passOf(route));
    for (const [k, v] of extra ?? []) headers.set(k, v);
    const retryAfter = retryAfterOf(err);
    if (retryAfter !== undefined && !headers.has("retry-after")) headers.set("retry-after", retryAfter);
    headers.set("content-type", JSON_CONTENT_TYPE);
    return { status: httpStatusOf(err.code), headers, body: encodeJson(statusJson(err, registry)) };
  };

  async function handle(req: TranscodeRequest): Promise<TranscodeResponse> {
    // HEAD is GET without the body (RFC 9110 §9.3.2).
    const head = req.method === "HEAD";
    const found = router.match(head ? "GET" : req.method, req.path);
    if (found.kind === "not-found") return routingError(404, Code.NotFound, "Not Found");
    if (found.kind === "method-not-allowed") {
      const res = routingError(405, Code.Unimplemented, "Method Not Allowed");
      res.headers.set("allow", found.allow.join(", "));
      return res;
    }
    const { route, pathValues } = found;
    let added: CallMetadata;
    try {
      added = (await opts.beforeCall?.({ route: route.info, headers: req.headers, raw: req.raw as IncomingMessage })) ?? undefined;
    } catch (e) {
      // The edge's own failure (e.g. keys to check a token could not be fetched), not the route's service.
      return errorResponse(e, undefined, route, false);
    }
    if (hasBody(req) && !acceptsContentType(route, req.headers.get("content-type"))) {
      const types = streamsRequest(route.kind) ? "application/json or application/x-ndjson" : "application/json";
      return routingError(415, Code.InvalidArgument, `the request body must be ${types} (Content-Type)`);
    }
    try {
      const ttl = sharedTtl.get(route) ?? 0;
      const key = ttl > 0 ? responses.keyOf(route.info.template, req) : undefined;
      const hit = key === undefined ? undefined : responses.get(key, req);
      if (hit !== undefined) return revalidated(hit, req, head);
      // Name-value pairs rather than Headers: the transport copies them into its own Headers.
      const metadata: [string, string][] = [];
      // What the edge adds replaces the client's header of the same name (an API key's minted token its Authorization).
      const replaced = added && added.length > 0 ? new Set(added.map(([k]) => k.toLowerCase())) : undefined;
      for (const h of forward) {
        if (replaced?.has(h)) continue;
        const v = req.headers.get(h);
        if (v !== null) metadata.push([h, v]);
      }
      if (added) for (const [k, v] of added) metadata.push([k, v]);
      if (streamsRequest(route.kind)) return await callRequestStream(route, pathValues, metadata, req);
      const limit = req.bodyLimit ?? DEFAULT_BODY_LIMIT;
      const parts = {
        pathValues,
        query: req.query,
        body: await bodyBytes(req.body, limit),
        contentType: req.headers.get("content-type"),
        idempotencyKey: idempotencyKeyHeader(route, req),
      };
      const message = bindRequest(route, parts, registry, ignored);
      const res =
        route.kind === "server-streaming"
          ? await callStream({ ctx: streamContext(route), route, input: singleInput(message), abort: new AbortController(), metadata, req })
          : await callUnary(route, message, metadata, req);
      if (key !== undefined) responses.set(key, res, ttl);
      if (head) res.body = new Uint8Array(0);
      return res;
    } catch (e) {
      return errorResponse(e, undefined, route);
    }
  }

  // Path and query are checked before the call starts; then the body's messages follow it.
  function callRequestStream(route: CompiledRoute, pathValues: Map<string, string>, metadata: [string, string][], req: TranscodeRequest): Promise<TranscodeResponse> {
    const bind = requestBinder(route, { pathValues, query: req.query, idempotencyKey: idempotencyKeyHeader(route, req) }, registry, ignored);
    const abort = new AbortController();
    const input = bodyInput(route, bind, req.body, req.headers.get("content-type") ?? "", req.bodyLimit ?? DEFAULT_BODY_LIMIT, abort);
    const call = route.kind === "bidi-streaming" ? callStream : callClientStream;
    return call({ ctx: streamContext(route), route, input, abort, metadata, req });
  }

  // Only routes with a key field read the header; on others it is ignored, as any unknown header is.
  const idempotencyKeyHeader = (route: CompiledRoute, req: TranscodeRequest) => (route.idempotencyKey ? req.headers.get(IDEMPOTENCY_KEY_HEADER) : null);

  // Whether the request has a body to read: bytes, or a stream that is not declared empty.
  function hasBody(req: TranscodeRequest): boolean {
    if (req.body === undefined) return false;
    if (req.body instanceof Uint8Array) return req.body.length > 0;
    return req.headers.get("content-length") !== "0";
  }

  // grpc-gateway's routing errors (runtime.DefaultRoutingErrorHandler in runtime/errors.go):
  // 404 with NOT_FOUND and 405 with UNIMPLEMENTED in the body, the HTTP status kept as is.
  function routingError(status: number, code: Code, message: string): TranscodeResponse {
    const res = errorResponse(new ConnectError(message, code));
    return { ...res, status };
  }

  async function callUnary(route: CompiledRoute, message: Message, metadata: [string, string][], req: TranscodeRequest): Promise<TranscodeResponse> {
    const method = route.info.method as DescMethod & { methodKind: "unary" };
    const transport = transportOf(route);
    let attempt = 0;
    // One deadline for the request, however many attempts it takes (the balancer's below
    // included): a retry gets what is left of it, never a fresh timeout.
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : undefined;
    const remaining = () => (deadline === undefined ? timeoutMs : Math.max(1, deadline - Date.now()));
    for (;;) {
      try {
        // Fresh context values per call: a transport's interceptors may write to them.
        const context = createContextValues().set(responseDedupeKey, dedupe);
        const res = await transport.unary(method, req.signal, remaining(), metadata, message, context);
        const headers = copyResponseHeaders(res.header, passOf(route));
        const { headers: own, body } = unaryResponse(route, res.message, registry);
        for (const [k, v] of own) headers.set(k, v);
        if (route.info.httpMethod !== "GET") return { status: 200, headers, body };
        return cacheable(route, req, headers, body);
      } catch (e) {
        // Only UNAVAILABLE is retried: the call did not reach a handler, or the backend said it
        // is safe to try again; and only for methods that may run twice.
        const timeLeft = deadline === undefined || deadline - Date.now() > 25 * (attempt + 1);
        const retry = e instanceof ConnectError && e.code === Code.Unavailable && route.idempotent && attempt < retries && timeLeft && !req.signal?.aborted;
        if (!retry) throw e;
        attempt++;
        await new Promise((r) => setTimeout(r, 25 * attempt));
      }
    }
  }

  function cacheable(route: CompiledRoute, req: TranscodeRequest, headers: Headers, body: Uint8Array): TranscodeResponse {
    headers.set("etag", etagOf(body));
    const policy = opts.cacheControl?.(route.info) ?? DEFAULT_CACHE_CONTROL;
    // An answer to a caller who identified themselves may be about them (an owner's draft):
    // no shared cache may keep it (RFC 9111 §3.5 lets one keep a `public` answer to an
    // Authorization request), and caches keep the two kinds of answer apart.
    const cacheControl = hasCredentials(req) ? privateCacheControl(policy) : policy;
    headers.set("cache-control", cacheControl);
    if (!/(^|,)\s*no-store\s*(,|$)/i.test(cacheControl)) headers.set("vary", varyOn(headers.get("vary"), credentials));
    return revalidated({ status: 200, headers, body }, req, false);
  }

  // A 200 becomes 304 when the client's copy is current; HEAD gets no body.
  function revalidated(res: TranscodeResponse, req: TranscodeRequest, head: boolean): TranscodeResponse {
    const etag = res.headers.get("etag");
    if (etag !== null && ifNoneMatchMatches(req.headers.get("if-none-match"), etag)) {
      res.headers.delete("content-type");
      return { status: 304, headers: res.headers, body: new Uint8Array(0) };
    }
    return head ? { ...res, body: new Uint8Array(0) } : res;
  }

  const streamContext = (route: CompiledRoute): StreamCallContext => ({
    transport: transportOf(route),
    timeoutMs: opts.streamTimeoutMs,
    pass: passOf(route),
    registry,
    errorResponse: (e, extra) => errorResponse(e, extra, route),
    publicError: (e) => toPublicError(e, labels.get(route)),
  });

  function transportOf(route: CompiledRoute): Transport {
    const t = transports.get(route.info.service.typeName);
    if (!t) throw new Error(`no transport for ${route.info.service.typeName}`);
    return t;
  }

  function streamsRequestBody(method: string, path: string): boolean {
    const found = router.match(method, path);
    return found.kind === "found" && streamsRequest(found.route.kind);
  }

  return { routes: compiled.map((r) => r.info), handle, streamsRequestBody };
}
