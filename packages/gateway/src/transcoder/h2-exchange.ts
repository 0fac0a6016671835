import { type ClientHttp2Stream, constants, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Http2SessionManager } from "@connectrpc/connect-node";

/** One finished HTTP/2 request: status, headers (without pseudo-headers), the whole body, trailers. */
export interface H2Response {
  status: number;
  header: IncomingHttpHeaders;
  body: Buffer;
  /** Empty when the response had no trailers (e.g. a gRPC trailers-only response). */
  trailer: IncomingHttpHeaders;
}

/** Per-call limits of {@link exchange}. */
export interface ExchangeOptions {
  signal?: AbortSignal;
  /** The call fails with DEADLINE_EXCEEDED after this many ms; undefined: no deadline. */
  timeoutMs?: number;
  /** A larger response body fails with RESOURCE_EXHAUSTED. */
  readMaxBytes: number;
}

const NO_TRAILERS: IncomingHttpHeaders = Object.freeze({}) as IncomingHttpHeaders;

/**
 * Sends one request with a complete body on the manager's HTTP/2 session and buffers the
 * response. This replaces connect-node's universal client for unary calls: one promise, one
 * timer and plain Node header objects per call, instead of a linked AbortController, async
 * iterables and WHATWG Headers. Failures are ConnectErrors with codes as connect-node gives
 * them: a refused connection is UNAVAILABLE (with the Node error as cause), the deadline is
 * DEADLINE_EXCEEDED, an aborted signal is the signal's reason, an RST_STREAM maps per gRPC's
 * HTTP/2 table.
 */
export function exchange(sm: Http2SessionManager, path: string, headers: OutgoingHttpHeaders, body: Uint8Array, opts: ExchangeOptions): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const { signal } = opts;
    let stream: ClientHttp2Stream | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const fail = (err: ConnectError) => {
      if (settled) return;
      settled = true;
      cleanup();
      // CANCEL tells the backend to stop working on it (gRPC's mapping of a cancelled call).
      if (stream && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
      reject(err);
    };
    const onAbort = () => fail(abortError(signal!));
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };

    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort);
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => fail(new ConnectError("the operation timed out", Code.DeadlineExceeded)), opts.timeoutMs);
    }

    sm.request("POST", path, headers, {}).then(
      (s) => {
        if (settled) {
          s.close(constants.NGHTTP2_CANCEL);
          return;
        }
        stream = s;
        let status = 0;
        let header: IncomingHttpHeaders | undefined;
        let trailer = NO_TRAILERS;
        const chunks: Buffer[] = [];
        let size = 0;
        s.on("response", (h) => {
          status = Number(h[":status"]);
          delete h[":status"];
          header = h;
        });
        s.on("trailers", (t) => {
          trailer = t;
        });
        s.on("data", (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > opts.readMaxBytes) {
            fail(new ConnectError(`message size is larger than configured readMaxBytes ${opts.readMaxBytes}`, Code.ResourceExhausted));
            return;
          }
          chunks.push(chunk);
          // Keeps the session manager's keep-alive from pinging a connection that is working.
          sm.notifyResponseByteRead(s);
        });
        s.on("end", () => {
          if (settled) return;
          // A connection that dies under the stream destroys it (CANCEL) and still ends it: the
          // response was cut off, not complete. UNAVAILABLE, as for the reset itself, so a
          // balancer may send a repeatable call to another instance.
          if (s.destroyed && s.rstCode !== undefined && s.rstCode !== constants.NGHTTP2_NO_ERROR) {
            return fail(new ConnectError("http/2 connection lost before the response ended", Code.Unavailable));
          }
          if (!header) return fail(new ConnectError("protocol error: stream ended without response headers", Code.Internal));
          settled = true;
          cleanup();
          resolve({ status, header, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), trailer });
        });
        s.on("error", (e: unknown) => {
          // An RST_STREAM from the server: "close" follows with its code, which says more.
          if (e instanceof Error && "code" in e && e.code === "ERR_HTTP2_STREAM_ERROR") return;
          fail(fromNodeError(e));
        });
        // After a normal end this is a no-op; building the error first would capture a stack
        // trace on every call.
        s.on("close", () => {
          if (!settled) fail(fromResetCode(s.rstCode, header !== undefined));
        });
        s.end(body);
      },
      (e: unknown) => fail(fromNodeError(e)),
    );
  });
}

function abortError(signal: AbortSignal): ConnectError {
  const reason: unknown = signal.reason;
  return reason instanceof ConnectError ? reason : new ConnectError("operation was aborted via signal", Code.Canceled, undefined, undefined, reason);
}

const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "EPIPE", "ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_STREAM_CANCEL"]);

/**
 * A Node error as a ConnectError that keeps it as `cause` (the transcoder turns such local
 * failures into a generic message, so hosts and ports stay in logs). Connection-level failures
 * are UNAVAILABLE: the request never reached a handler, or the connection died under it, and
 * the transcoder retries those for idempotent methods only.
 */
function fromNodeError(e: unknown): ConnectError {
  if (e instanceof ConnectError) return e;
  const code = e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : "";
  return new ConnectError(e instanceof Error ? e.message : String(e), UNAVAILABLE_CODES.has(code) ? Code.Unavailable : Code.Internal, undefined, undefined, e);
}

/** The error of a stream that closed before its response ended (gRPC's PROTOCOL-HTTP2.md table). */
function fromResetCode(rstCode: number, gotResponse: boolean): ConnectError {
  const message = `http/2 stream closed with error code 0x${rstCode.toString(16)}`;
  switch (rstCode) {
    case constants.NGHTTP2_REFUSED_STREAM:
      return new ConnectError(message, Code.Unavailable);
    case constants.NGHTTP2_CANCEL:
      return new ConnectError(message, Code.Canceled);
    case constants.NGHTTP2_ENHANCE_YOUR_CALM:
      return new ConnectError(message, Code.ResourceExhausted);
    case constants.NGHTTP2_INADEQUATE_SECURITY:
    case constants.NGHTTP2_HTTP_1_1_REQUIRED:
      return new ConnectError(message, Code.PermissionDenied);
    case constants.NGHTTP2_NO_ERROR:
      // Closed cleanly but early: before any response the request may not have been seen at all.
      return new ConnectError("http/2 stream closed before the response ended", gotResponse ? Code.Internal : Code.Unavailable);
    default:
      return new ConnectError(message, Code.Internal);
  }
}
