import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http2";
import { type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { codeFromHttpStatus as connectCodeFromHttpStatus, errorFromJsonBytes } from "@connectrpc/connect/protocol-connect";
import { findTrailerError, codeFromHttpStatus as grpcCodeFromHttpStatus } from "@connectrpc/connect/protocol-grpc";
import type { H2Response } from "./h2-exchange.js";
import { requestHeaders as lazyHeaders } from "./request-headers.js";
import type { ResponseDedupe } from "./response-dedupe.js";

/** A unary call's wire format on top of one HTTP/2 request with a complete body. */
export interface UnaryProtocol {
  /** Fresh request headers for a call with this deadline (ms; undefined: none). */
  headers(timeoutMs: number | undefined): OutgoingHttpHeaders;
  /** The request body for a serialized request message. */
  frame(message: Uint8Array): Uint8Array;
  /**
   * The response message with headers and trailers, or throws the call's ConnectError. With a
   * dedupe, the same bytes as a response it still keeps give that response's message object.
   */
  decode<O extends DescMessage>(res: H2Response, output: O, dedupe?: ResponseDedupe): { header: Headers; trailer: Headers; message: MessageShape<O> };
}

// Neither protocol asks for compression: on loopback or a LAN, gzip costs both sides more CPU
// than the bytes it saves, and the backends only compress for clients that accept it.
const USER_AGENT = "triphub-transcoder";

/**
 * gRPC over HTTP/2 (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md): the
 * message in a 5-byte envelope, the status in trailers, or in the headers of a trailers-only
 * response.
 */
export const grpcUnary: UnaryProtocol = {
  headers(timeoutMs) {
    const h: OutgoingHttpHeaders = { "content-type": "application/grpc+proto", te: "trailers", "user-agent": USER_AGENT };
    // grpc-timeout allows at most 8 digits; 99 999 999 ms is more than a day.
    if (timeoutMs !== undefined) h["grpc-timeout"] = `${Math.min(Math.ceil(timeoutMs), 99_999_999)}m`;
    return h;
  },
  frame(message) {
    const out = Buffer.allocUnsafe(5 + message.byteLength);
    out[0] = 0; // not compressed
    out.writeUInt32BE(message.byteLength, 1);
    out.set(message, 5);
    return out;
  },
  decode(res, output, dedupe) {
    if (res.status !== 200) throw new ConnectError(`HTTP ${res.status}`, grpcCodeFromHttpStatus(res.status), toHeaders(res.header));
    const type = res.header["content-type"] ?? "";
    if (type !== "application/grpc" && !type.startsWith("application/grpc+proto")) {
      throw new ConnectError(`unsupported content type ${type}`, Code.Unknown);
    }
    checkEncoding(res.header["grpc-encoding"], res.header);
    // A trailers-only response carries the status in its headers (and has no body).
    const hasTrailers = res.trailer["grpc-status"] !== undefined || res.trailer["grpc-status-details-bin"] !== undefined;
    const statusSource = hasTrailers ? res.trailer : res.header;
    if (statusSource["grpc-status"] !== "0" || statusSource["grpc-status-details-bin"] !== undefined) {
      const err = findTrailerError(toHeaders(statusSource));
      if (err) {
        // As connect-node does: an error's metadata holds the trailers and then the headers.
        if (hasTrailers) appendTo(err.metadata, res.header);
        throw err;
      }
      if (statusSource["grpc-status"] === undefined) throw new ConnectError("protocol error: missing status", Code.Internal);
    }
    const body = res.body;
    if (body.length === 0) {
      throw new ConnectError("protocol error: missing output message for unary method", hasTrailers ? Code.Unimplemented : Code.Unknown);
    }
    const length = body.length >= 5 ? body.readUInt32BE(1) : -1;
    if (length < 0 || body.length < 5 + length) throw new ConnectError("protocol error: promised more bytes than received", Code.Internal);
    if (body.length > 5 + length) throw new ConnectError("protocol error: received extra output message for unary method", Code.Unimplemented);
    if (body[0] !== 0) throw new ConnectError(`protocol error: unexpected envelope flags ${body[0]}`, Code.Internal);
    return { header: lazyHeaders(res.header), trailer: lazyHeaders(res.trailer), message: parse(output, body.subarray(5), dedupe) };
  },
};

/**
 * The Connect protocol's unary form (https://connectrpc.com/docs/protocol): the bare message
 * as the body, trailers as `trailer-` headers, and an error as a JSON body with a non-200
 * status.
 */
export const connectUnary: UnaryProtocol = {
  headers(timeoutMs) {
    const h: OutgoingHttpHeaders = { "content-type": "application/proto", "connect-protocol-version": "1", "user-agent": USER_AGENT };
    if (timeoutMs !== undefined) h["connect-timeout-ms"] = String(Math.ceil(timeoutMs));
    return h;
  },
  frame: (message) => message,
  decode(res, output, dedupe) {
    const trailer: IncomingHttpHeaders = {};
    for (const k of Object.keys(res.header)) {
      if (!k.startsWith("trailer-")) continue;
      trailer[k.slice(8)] = res.header[k];
      delete res.header[k];
    }
    const type = res.header["content-type"] ?? "";
    if (res.status !== 200) {
      const metadata = toHeaders(res.header, trailer);
      const fallback = new ConnectError(`HTTP ${res.status}`, connectCodeFromHttpStatus(res.status), metadata);
      throw type.startsWith("application/json") ? errorFromJsonBytes(res.body, metadata, fallback) : fallback;
    }
    checkEncoding(res.header["content-encoding"], res.header);
    if (type !== "application/proto" && !type.startsWith("application/proto;")) {
      throw new ConnectError(`unsupported content type ${type}`, Code.Internal, toHeaders(res.header));
    }
    return { header: lazyHeaders(res.header), trailer: lazyHeaders(trailer), message: parse(output, res.body, dedupe) };
  },
};

function checkEncoding(encoding: string | string[] | undefined, header: IncomingHttpHeaders): void {
  if (encoding !== undefined && String(encoding).toLowerCase() !== "identity") {
    throw new ConnectError(`unsupported response encoding "${encoding}"`, Code.Internal, toHeaders(header));
  }
}

function parse<O extends DescMessage>(output: O, bytes: Uint8Array, dedupe: ResponseDedupe | undefined): MessageShape<O> {
  const decode = () => {
    try {
      return fromBinary(output, bytes);
    } catch (e) {
      throw new ConnectError(`parse binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal);
    }
  };
  return dedupe === undefined ? decode() : dedupe.decode(output, bytes, decode);
}

/** Node header objects as one WHATWG Headers (only for errors, which need every entry). */
function toHeaders(...from: IncomingHttpHeaders[]): Headers {
  const h = new Headers();
  for (const f of from) appendTo(h, f);
  return h;
}

function appendTo(h: Headers, from: IncomingHttpHeaders): void {
  for (const [k, v] of Object.entries(from)) {
    if (v === undefined || k.startsWith(":")) continue;
    for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
  }
}
