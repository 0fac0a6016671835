import type { DescMessage, Message } from "@bufbuild/protobuf";
import { DEFAULT_HTTP_BODY_TYPE, type HttpBodySlot, readHttpBody } from "./http-body.js";

// A server stream of google.api.HttpBody is one raw HTTP body: each message's `data` is the next
// chunk, with no framing or delimiter, and the Content-Type is the first message's. That is
// grpc-gateway's ForwardResponseStream for HttpBody and Envoy's "the content-type from the first
// google.api.HttpBody". Two deliberate differences:
//
// - The status waits for the first bytes, not the first message, so a stream that fails before
//   sending any data is still answered with the error's status and google.rpc.Status JSON.
// - A failure after bytes were sent aborts the response instead of appending a JSON error
//   (grpc-gateway does; its issue #2557 is downloads corrupted by bytes the service never sent).
//   A client then sees an incomplete transfer and cannot mistake a truncated file for a whole one.

/** The start of an HttpBody stream: its Content-Type and the first step that carries data (or the end). */
export interface HttpBodyHead {
  contentType: string;
  step: IteratorResult<Message>;
}

/** Reads from `first` up to the first message with data; throws what the stream throws meanwhile. */
export async function readHttpBodyHead(slot: HttpBodySlot, desc: DescMessage, first: IteratorResult<Message>, rest: AsyncIterator<Message>): Promise<HttpBodyHead> {
  const contentType = (first.done ? "" : readHttpBody(slot, desc, first.value).contentType) || DEFAULT_HTTP_BODY_TYPE;
  let step = first;
  while (!step.done && readHttpBody(slot, desc, step.value).data.length === 0) step = await rest.next();
  return { contentType, step };
}

/**
 * The raw body of the stream from its head on. A failure of the upstream is rethrown, which
 * aborts the HTTP response; `close` runs however the body ends, so the upstream call is
 * cancelled when the client goes away.
 */
export async function* httpBodyChunks(slot: HttpBodySlot, desc: DescMessage, head: HttpBodyHead, rest: AsyncIterator<Message>, close: () => void): AsyncGenerator<Uint8Array> {
  try {
    for (let step = head.step; !step.done; step = await rest.next()) {
      const { data } = readHttpBody(slot, desc, step.value);
      if (data.length > 0) yield data;
    }
  } finally {
    close();
  }
}
