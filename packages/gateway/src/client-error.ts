import type { Socket } from "node:net";
import { STATUS_CODES } from "node:http";
import { codeOfHttpStatus, messageOfHttpStatus, statusBody } from "./edge-errors.js";

// Requests Node's HTTP/1.1 parser refuses never reach Fastify: a URL or headers past
// maxHeaderSize (16 KiB, request line included), a malformed request line, a request that
// arrives too slowly. Node's own answer has no body, and it destroys the socket at once: with
// the rest of a long URL still unread, the kernel then resets the connection and the client
// usually sees the connection drop instead of the answer. Here the answer is a
// google.rpc.Status, the connection is ended after it, and what the client still sends is read
// and dropped until it is done (or for a few seconds at most), so the answer arrives.

const LINGER_MS = 3_000;

/** What Node's parser reports: an error code and the chunk it failed in. */
type ClientError = Error & { code?: string; rawPacket?: unknown };

// The parser reports every later chunk of the same request again; the socket is answered once.
const answered = new WeakSet<Socket>();

/** The HTTP status for a parser error: 414 when the request line alone is too long. */
export function statusOfClientError(err: ClientError): number {
  switch (err.code) {
    case "HPE_HEADER_OVERFLOW": {
      // rawPacket is the chunk being parsed; a first chunk with no end of line is all URL.
      const packet = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined;
      const lineEnd = packet ? packet.indexOf("\r\n") : -1;
      const startsRequest = packet !== undefined && /^[A-Z]+ \//.test(packet.subarray(0, 32).toString("latin1"));
      return startsRequest && (lineEnd < 0 || lineEnd > 8 * 1024) ? 414 : 431;
    }
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return 408;
    default:
      return 400;
  }
}

/** Fastify's `clientErrorHandler` for the gateway: see the comment at the top of this file. */
export function answerClientError(err: ClientError, socket: Socket): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const status = statusOfClientError(err);
  const body = statusBody(codeOfHttpStatus(status), messageOfHttpStatus(status));
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
