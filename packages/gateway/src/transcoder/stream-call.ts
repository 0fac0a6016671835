import type { DescMethod, Message, Registry } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { httpStatusOf, statusJson, toPublicError } from "./errors.js";
import { type HttpBodyHead, httpBodyChunks, readHttpBodyHead } from "./http-body-stream.js";
import { copyResponseHeaders } from "./response-headers.js";
import { NOSNIFF, responseJson } from "./response.js";
import type { CompiledRoute } from "./routes.js";
import { errorChunk, streamBody, streamContentType, streamFormatOf } from "./streaming.js";
import type { TranscodeRequest, TranscodeResponse } from "./transcoder.js";

/** What a server-streaming call needs from its transcoder. */
export interface StreamCallContext {
  transport: Transport;
  /** Deadline of the stream in ms; undefined: none. */
  timeoutMs: number | undefined;
  /** Response headers the route passes on beside the request id. */
  pass: readonly string[];
  registry: Registry;
  /** The JSON error response for a failure, with `extra` headers. */
  errorResponse(e: unknown, extra: Headers): TranscodeResponse;
}

/**
 * Calls a server-streaming method and answers with its messages as newline-delimited JSON or
 * SSE (streaming.ts), or as one raw body for google.api.HttpBody (http-body-stream.ts). It
 * waits for the first message, so a stream that fails at once gets the error's status.
 */
export async function callStream(ctx: StreamCallContext, route: CompiledRoute, message: Message, metadata: [string, string][], req: TranscodeRequest): Promise<TranscodeResponse> {
  const method = route.info.method as DescMethod & { methodKind: "server_streaming" };
  const format = streamFormatOf(req.headers.get("accept"));
  const abort = new AbortController();
  const onClientGone = () => abort.abort();
  req.signal?.addEventListener("abort", onClientGone, { once: true });
  const close = () => {
    req.signal?.removeEventListener("abort", onClientGone);
    abort.abort();
  };
  const headers = new Headers({ "content-type": streamContentType(format), "cache-control": "no-store" });
  const raw = route.responseHttpBody;
  let iterator: AsyncIterator<Message>;
  let first: IteratorResult<Message>;
  let head: HttpBodyHead | undefined;
  try {
    const res = await ctx.transport.stream(method, abort.signal, ctx.timeoutMs, metadata, once(message));
    for (const [k, v] of copyResponseHeaders(res.header, ctx.pass)) headers.set(k, v);
    iterator = res.message[Symbol.asyncIterator]();
    // Wait for the first message so a stream that fails at once gets the error's status.
    first = await iterator.next();
    if (raw) {
      head = await readHttpBodyHead(raw, method.output, first, iterator);
      // Inside the try: a content type that is no valid header value must still close the call.
      headers.set("content-type", head.contentType);
    }
  } catch (e) {
    close();
    // Raw bytes have no error framing: before the first byte, a failure is a plain error response.
    if (raw) return ctx.errorResponse(e, headers);
    const err = toPublicError(e);
    for (const [k, v] of copyResponseHeaders(err.metadata, ctx.pass)) headers.set(k, v);
    return { status: httpStatusOf(err.code), headers, body: errorChunk(format, statusJson(err, ctx.registry)) };
  }
  // HEAD needs only the headers; a body nobody reads would never end the upstream call.
  if (req.method === "HEAD") {
    close();
    if (raw) headers.set(...NOSNIFF);
    return { status: 200, headers, body: new Uint8Array(0) };
  }
  if (raw && head) {
    headers.set(...NOSNIFF);
    return { status: 200, headers, body: httpBodyChunks(raw, method.output, head, iterator, close) };
  }
  const render = (m: Message) => responseJson(route, m, ctx.registry);
  const renderError = (e: unknown) => statusJson(toPublicError(e), ctx.registry);
  return { status: 200, headers, body: streamBody(first, iterator, format, render, renderError, close) };
}

async function* once<T>(value: T): AsyncIterable<T> {
  yield value;
}
