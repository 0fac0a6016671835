import type { JsonValue, Message } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { jsonValues } from "./json-stream.js";
import type { MessageBinder } from "./request-binding.js";
import type { CompiledRoute } from "./routes.js";

/** A request body as bytes, or as a stream of chunks still arriving. */
export type RequestBody = Uint8Array | AsyncIterable<Uint8Array> | undefined;

/**
 * Most bytes of one request message when the caller sets no limit: 4 MiB, gRPC's default
 * maximum message size, beyond which a backend would refuse the message anyway.
 */
export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

/** The request side of a streaming call. */
export interface StreamInput {
  /** The request messages, as Transport.stream takes them. */
  messages: AsyncIterable<Message>;
  /**
   * What ended the request side before the body did (a bad message, the client gone), once it
   * has; the call was aborted then, so the upstream's CANCELED hides this, the error to report.
   */
  failure(): ConnectError | undefined;
}

/** The one request message of a server-streaming call. */
export function singleInput(message: Message): StreamInput {
  async function* messages() {
    yield message;
  }
  return { messages: messages(), failure: () => undefined };
}

/**
 * The request messages of a client or bidi stream, bound from the body while it arrives and
 * sent on as each is complete: one per JSON value (json-stream.ts), or one per chunk of bytes
 * for a body bound to a google.api.HttpBody.
 *
 * Each value goes through the rule's `body` and gets the path and query fields, as Envoy's
 * transcoder weaves its bindings into every message of a stream (grpc-httpjson-transcoding,
 * src/include/grpc_transcoding/request_stream_translator.h). grpc-gateway's generated handler
 * decodes each value as the whole request and ignores `body`, path and query for streams
 * (protoc-gen-grpc-gateway/internal/gengateway/template.go), which would silently drop the
 * resource the URL names. A bad value ends the call with INVALID_ARGUMENT, as grpc-gateway's
 * client-streaming handler does; its bidi handler only stops sending, so the backend takes a
 * cut-off stream for a whole one, which we do not copy.
 */
export function bodyInput(route: CompiledRoute, bind: MessageBinder, body: RequestBody, contentType: string, maxBytes: number, abort: AbortController): StreamInput {
  let failure: ConnectError | undefined;
  const values: AsyncIterable<Uint8Array | JsonValue> = route.requestHttpBody ? chunksOf(body) : jsonValues(chunksOf(body), maxBytes);
  const next = async (it: AsyncIterator<Uint8Array | JsonValue>, n: number): Promise<Message | null | undefined> => {
    try {
      // The call is over (done, or the client gone): nothing more goes upstream.
      if (abort.signal.aborted) throw new ConnectError("the call has ended", Code.Canceled);
      const step = await it.next();
      if (step.done) return undefined;
      if (!(step.value instanceof Uint8Array)) return numbered(n, () => bind(step.value as JsonValue));
      return step.value.length > 0 ? bind(undefined, { contentType, data: step.value }) : null;
    } catch (e) {
      if (!abort.signal.aborted) {
        // Anything but a bad message is the body breaking off: the client went away.
        failure = e instanceof ConnectError ? e : new ConnectError("the request body broke off", Code.Canceled, undefined, undefined, e);
        abort.abort();
      }
      throw failure ?? e;
    }
  };
  // Errors end the messages with a throw, never a normal end, which the transport would pass
  // on as a complete request stream.
  async function* messages(): AsyncGenerator<Message> {
    const it = values[Symbol.asyncIterator]();
    for (let n = 1; ; n++) {
      const message = await next(it, n);
      if (message === undefined) return;
      if (message !== null) yield message;
    }
  }
  return { messages: messages(), failure: () => failure };
}

// Names the message a binding error is about, and keeps a bug from passing for the client
// going away.
function numbered(n: number, bind: () => Message): Message {
  try {
    return bind();
  } catch (e) {
    if (!(e instanceof ConnectError)) throw new ConnectError("binding a request message failed", Code.Internal, undefined, undefined, e);
    const err = new ConnectError(`request message ${n}: ${e.rawMessage}`, e.code, e.metadata, undefined, e);
    err.details.push(...e.details);
    throw err;
  }
}

/** The body as chunks, however it was given. */
export async function* chunksOf(body: RequestBody): AsyncGenerator<Uint8Array> {
  if (body === undefined) return;
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  yield* body;
}

/** The whole body as bytes, for a call that takes one message; INVALID_ARGUMENT past `maxBytes`. */
export async function bodyBytes(body: RequestBody, maxBytes: number): Promise<Uint8Array | undefined> {
  if (body === undefined || body instanceof Uint8Array) return body;
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new ConnectError(`request body larger than ${maxBytes} bytes`, Code.InvalidArgument);
    parts.push(chunk);
  }
  return Buffer.concat(parts, size);
}
