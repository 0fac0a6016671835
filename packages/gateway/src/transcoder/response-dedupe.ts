import type { DescMessage, Message } from "@bufbuild/protobuf";
import { createContextKey } from "@connectrpc/connect";

/*
 * Responses whose bytes a transcoder saw lately: the same bytes give the same message, and that
 * same object lets the transcoder reuse its JSON (response.ts). A popular search or details page
 * comes back byte for byte from a backend's cache many times a second; decoding it and writing
 * its JSON were most of the gateway's CPU for such a request. Small responses are cheaper to
 * decode than to look up. The transcoder never changes a response message.
 *
 * Each transcoder owns one, bounded by the bytes of the responses it keeps: a process with
 * several transcoders (or tests) never shares messages between them, and memory stays bounded
 * however many output types there are.
 */

/** Default byte budget of a transcoder's {@link ResponseDedupe}. */
export const DEFAULT_RESPONSE_DEDUPE_BYTES = 4 * 1024 * 1024;
// Below this, decoding is cheaper than hashing the bytes for a lookup.
const MIN_BYTES = 512;
// One response may take at most this much of the budget, so a few large pages cannot push out
// every hot one.
const MAX_SHARE = 1 / 16;

interface Entry {
  output: DescMessage;
  message: Message;
}

/** Recently decoded responses of one transcoder, by their bytes; least recently used go first. */
export interface ResponseDedupe {
  /** The message for `bytes` of type `output`: the one decoded before for the same bytes, or `decode()`'s. */
  decode<M extends Message>(output: DescMessage, bytes: Uint8Array, decode: () => M): M;
  /** Bytes of the responses kept now; never more than {@link ResponseDedupe.maxBytes}. */
  readonly bytes: number;
  /** The budget: most bytes of responses kept at once. */
  readonly maxBytes: number;
}

/**
 * A dedupe that keeps responses of at least 512 bytes, each at most 1/16 of `maxBytes`, up to
 * `maxBytes` bytes of responses in all (the decoded message and its JSON come on top, each of a
 * size like the response's). A budget of 0 keeps nothing.
 */
export function createResponseDedupe(maxBytes = DEFAULT_RESPONSE_DEDUPE_BYTES): ResponseDedupe {
  // Keyed by the bytes as a latin1 string: V8 hashes and compares it natively, one byte a char.
  const entries = new Map<string, Entry>();
  const largest = Math.floor(maxBytes * MAX_SHARE);
  let bytes = 0;
  return {
    decode(output, body, decode) {
      if (body.length < MIN_BYTES || body.length > largest) return decode();
      const key = Buffer.from(body.buffer, body.byteOffset, body.length).toString("latin1");
      const known = entries.get(key);
      // Map order is use order: a hit moves to the end, the first entry is the one to drop.
      if (known !== undefined && known.output === output) {
        entries.delete(key);
        entries.set(key, known);
        return known.message as ReturnType<typeof decode>;
      }
      // Nothing changes if decoding throws.
      const message = decode();
      if (known !== undefined) entries.delete(key);
      else bytes += key.length;
      entries.set(key, { output, message });
      for (const [k] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(k);
        bytes -= k.length;
      }
      return message;
    },
    get bytes() {
      return bytes;
    },
    maxBytes,
  };
}

/**
 * How the transcoder hands its dedupe to a transport, per call: `createUpstreamTransport` reads
 * it; other transports ignore it. A call without it decodes every response afresh.
 */
export const responseDedupeKey = createContextKey<ResponseDedupe | undefined>(undefined, { description: "triphub response dedupe" });
