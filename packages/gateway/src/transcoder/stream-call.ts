import type { DescMethod, Message, Registry } from "@bufbuild/protobuf";
import type { ConnectError, Transport } from "@connectrpc/connect";
import { httpStatusOf, statusJson } from "./errors.js";
import { type HttpBodyHead, httpBodyChunks, readHttpBodyHead } from "./http-body-stream.js";
import type { StreamInput } from "./request-stream.js";
import { copyResponseHeaders } from "./response-headers.js";
import { NOSNIFF, responseJson } from "./response.js";
import type { CompiledRoute } from "./routes.js";
import { errorChunk, streamBody, streamContentType, streamFormatOf } from "./streaming.js";
import type { TranscodeRequest, TranscodeResponse } from "./transcoder.js";

/** What a streaming call needs from its transcoder. */
export interface StreamCallContext {
  transport: Transport;
  /** Deadline of the stream in ms; undefined: none. */
  timeoutMs: number | undefined;
  /** Response headers the route passes on beside the request id. */
  pass: readonly string[];
  registry: Registry;
  /** The JSON error response for a failure, with `extra` headers. */
  errorResponse(e: unknown, extra: Headers): TranscodeResponse;
  /** A failure as it may be shown to the client (errors.ts, toPublicError). */
  publicError(e: unknown): ConnectError;
}

/**
 * One streaming call as the transcoder starts it: the route, its request messages (`input`),
 * what aborts it, the metadata to send and the HTTP request it answers.
 */
export interface StreamCall {
  ctx: StreamCallContext;
  route: CompiledRoute;
  input: StreamInput;
  abort: AbortController;
  metadata: [string, string][];
  req: TranscodeRequest;
}

/**
 * Aborts `abort` when the client goes away (`signal`). Returns what ends the call: it stops
 * listening and aborts, which cancels the upstream call if it is still running.
 */
export function cancelOnClientGone(abort: AbortController, signal: AbortSignal | undefined): () => void {
  const onClientGone = () => abort.abort();
  signal?.addEventListener("abort", onClientGone, { once: true });
  return () => {
    signal?.removeEventListener("abort", onClientGone);
    abort.abort();
  };
}

/**
 * Calls a server-streaming or bidi-streaming method and answers with its messages as
 * newline-delimited JSON or SSE (streaming.ts), or as one raw body for google.api.HttpBody
 * (http-body-stream.ts). `input` are the request messages: the one of a server stream, or
 * those read from the body of a bidi stream while the answer is already streaming. It waits
 * for the first response message, so a stream that fails at once gets the error's status.
 */
export async function callStream(call: StreamCall): Promise<TranscodeResponse> {
  const { ctx, route, input, abort, metadata, req } = call;
  const method = route.info.method as DescMethod & { methodKind: "server_streaming" | "bidi_streaming" };
  const format = streamFormatOf(req.headers.get("accept"));
  const close = cancelOnClientGone(abort, req.signal);
  // A request side that failed aborted the call: report its error, not the CANCELED it caused.
  const cause = (e: unknown) => input.failure() ?? e;
  const headers = new Headers({ "content-type": streamContentType(format), "cache-control": "no-store" });
  const raw = route.responseHttpBody;
  let iterator: AsyncIterator<Message>;
  let first: IteratorResult<Message>;
  let head: HttpBodyHead | undefined;
  try {
    const res = await ctx.transport.stream(method, abort.signal, ctx.timeoutMs, metadata, input.messages);
    for (const [k, v] of copyResponseHeaders(res.header, ctx.pass)) headers.set(k, v);
    iterator = res.message[Symbol.asyncIterator]();
    first = await iterator.next();
    if (raw) {
      head = await readHttpBodyHead(raw, method.output, first, iterator);
      // Inside the try: a content type that is no valid header value must still close the call.
      headers.set("content-type", head.contentType);
    }
  } catch (e) {
    close();
    // Raw bytes have no error framing: before the first byte, a failure is a plain error response.
    if (raw) return ctx.errorResponse(cause(e), headers);
    const err = ctx.publicError(cause(e));
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
  const renderError = (e: unknown) => statusJson(ctx.publicError(cause(e)), ctx.registry);
  return { status: 200, headers, body: streamBody(first, iterator, format, render, renderError, close) };
}
