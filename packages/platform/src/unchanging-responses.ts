import type { Message } from "@bufbuild/protobuf";

/*
 * Responses a service promises never to change once returned (a read cache's messages, served
 * to many callers). The chassis's gRPC handler encodes such a message once and sends the same
 * bytes to every caller; a cache hit then costs no protobuf encoding, which was the largest
 * share of a cached search's CPU. Opt-in, because reusing the bytes of a message that changes
 * in place would send stale data.
 */

const unchanging = new WeakSet<object>();
const encoded = new WeakMap<object, Uint8Array>();

/** Promises that `message` is never changed again, so its binary encoding may be reused. */
export function markUnchanging<M extends Message>(message: M): M {
  unchanging.add(message);
  return message;
}

/** The binary encoding of `message`: remembered when it was marked unchanging. */
export function encodeOnce(message: object, encode: () => Uint8Array): Uint8Array {
  if (!unchanging.has(message)) return encode();
  let bytes = encoded.get(message);
  if (bytes === undefined) {
    bytes = encode();
    encoded.set(message, bytes);
  }
  return bytes;
}
