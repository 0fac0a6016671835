import type { Readable } from "node:stream";
import { errorCodes, type FastifyRequest } from "fastify";

// How fastifyTranscoder reads request bodies. Its content-type parser takes every body raw: the
// body of a client- or bidi-streaming route as a stream (its messages go upstream while it
// arrives, and it may be far longer than any one message), every other body as bytes, within
// Fastify's bodyLimit and failing as Fastify's own buffer parser does.

type Done = (err: Error | null, body?: unknown) => void;

/** Reads the whole body into a Buffer, with Fastify's 413 past the route's bodyLimit. */
export function readBody(req: FastifyRequest, payload: Readable, done: Done): void {
  const limit = req.routeOptions.bodyLimit;
  const length = Number(req.headers["content-length"]);
  if (length > limit) {
    done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = () => {
    payload.off("data", onData);
    payload.off("end", onEnd);
    payload.off("error", onEnd);
  };
  function onData(chunk: Buffer) {
    size += chunk.length;
    if (size > limit) {
      stop();
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    chunks.push(chunk);
  }
  function onEnd(err?: Error & { statusCode?: number }) {
    stop();
    if (err) {
      if (!(typeof err.statusCode === "number" && err.statusCode >= 400)) err.statusCode = 400;
      done(err);
      return;
    }
    // A preParsing hook may have replaced the payload (e.g. to decompress it); such a stream
    // reports the bytes it read off the wire, which are what Content-Length counts.
    const received = (payload as Readable & { receivedEncodedLength?: number }).receivedEncodedLength || size;
    if (!Number.isNaN(length) && received !== length) {
      done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      return;
    }
    done(null, Buffer.concat(chunks, size));
  }
  payload.on("data", onData);
  payload.on("end", onEnd);
  payload.on("error", onEnd);
}

/** A streamed request body, and the way to let go of it. */
export interface BodyStream {
  /** The chunks, each read off the connection only when the previous one was taken. */
  chunks: AsyncIterable<Uint8Array>;
  /** Whether the whole body has arrived. */
  ended(): boolean;
  /**
   * Discards whatever is left unread (the call ended before the body did), so the client can
   * finish sending and the connection stays usable: Node does the same with a body nobody read,
   * but not with one that was partly read. Destroying it instead could reset the connection
   * before the client has read the response.
   */
  drain(): void;
}

/** Reads a body chunk by chunk, pausing the connection until each chunk is taken. */
export function bodyStream(payload: Readable): BodyStream {
  const queue: Uint8Array[] = [];
  let ended = false;
  let drained = false;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  payload.on("data", (chunk: Buffer) => {
    if (drained) return;
    queue.push(chunk);
    payload.pause();
    notify();
  });
  payload.once("end", () => {
    ended = true;
    notify();
  });
  payload.on("error", (e: Error) => {
    failed ??= e;
    notify();
  });
  // A client that goes away mid-body closes the request without an end.
  payload.once("close", () => {
    if (!ended) failed ??= new Error("request body closed before its end");
    notify();
  });

  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        if (!drained) payload.resume();
        yield chunk;
        continue;
      }
      if (drained || ended) return;
      if (failed) throw failed;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }
  return {
    chunks: { [Symbol.asyncIterator]: chunks },
    ended: () => ended,
    drain() {
      drained = true;
      queue.length = 0;
      if (!ended) payload.resume();
      notify();
    },
  };
}
