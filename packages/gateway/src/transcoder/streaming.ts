import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

// The responses of server- and bidi-streaming RPCs over plain HTTP, without WebSockets (a bidi
// stream's requests come in the request body meanwhile: request-stream.ts). Two framings:
//
// - Newline-delimited JSON, grpc-gateway's shape (runtime.ForwardResponseStream): one
//   `{"result": <message>}` per line, and on failure a last `{"error": <google.rpc.Status>}`
//   line. If the stream fails before its first message, the HTTP status is the error's, as
//   grpc-gateway does when it has not written the header yet.
// - Server-Sent Events when the client sends `Accept: text/event-stream`, for EventSource in
//   browsers: each message is `data: <message>`, a failure is `event: error` with the Status,
//   and a normal end is `event: end`, because EventSource otherwise reconnects when the
//   connection closes and would replay the stream.

/** How a server stream is framed on the wire. */
export type StreamFormat = "ndjson" | "sse";

/** SSE when the client asks for it in Accept; newline-delimited JSON otherwise. */
export function streamFormatOf(accept: string | null): StreamFormat {
  return accept && /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept) ? "sse" : "ndjson";
}

/** The Content-Type of a framing. grpc-gateway labels its stream application/json; NDJSON says what the body is. */
export function streamContentType(format: StreamFormat): string {
  return format === "sse" ? "text/event-stream; charset=utf-8" : "application/x-ndjson";
}

const encoder = new TextEncoder();

/** One message of the stream, framed. */
export function resultChunk(format: StreamFormat, message: JsonValue): Uint8Array {
  return encoder.encode(format === "sse" ? `data: ${JSON.stringify(message)}\n\n` : `${JSON.stringify({ result: message })}\n`);
}

/** The failure that ends a stream, framed. */
export function errorChunk(format: StreamFormat, status: JsonObject): Uint8Array {
  return encoder.encode(format === "sse" ? `event: error\ndata: ${JSON.stringify(status)}\n\n` : `${JSON.stringify({ error: status })}\n`);
}

/** The marker of a normal end (SSE only; NDJSON ends with the body). */
export function endChunk(format: StreamFormat): Uint8Array | undefined {
  return format === "sse" ? encoder.encode("event: end\ndata: {}\n\n") : undefined;
}

/**
 * The body of a stream whose first step was already read (to choose the status): yields that
 * first message, then the rest, then an error chunk if the upstream fails. `close` runs however
 * the body ends, including when the HTTP client goes away and the consumer stops reading, so
 * the upstream call is cancelled rather than left running.
 */
export async function* streamBody<T>(
  first: IteratorResult<T>,
  rest: AsyncIterator<T>,
  format: StreamFormat,
  render: (message: T) => JsonValue,
  renderError: (e: unknown) => JsonObject,
  close: () => void,
): AsyncGenerator<Uint8Array> {
  try {
    let step = first;
    while (!step.done) {
      yield resultChunk(format, render(step.value));
      try {
        step = await rest.next();
      } catch (e) {
        yield errorChunk(format, renderError(e));
        return;
      }
    }
    const end = endChunk(format);
    if (end) yield end;
  } finally {
    close();
  }
}
