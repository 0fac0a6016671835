import type { ClientSessionOptions, OutgoingHttpHeaders, SecureClientSessionOptions } from "node:http2";
import { create, type DescMessage, type DescMethod, isMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, Http2SessionManager, type Http2SessionOptions } from "@connectrpc/connect-node";
import { exchange } from "./h2-exchange.js";
import { responseDedupeKey } from "./response-dedupe.js";
import { connectUnary, grpcUnary } from "./unary-protocols.js";

/** Options of {@link createUpstreamTransport}. */
export interface UpstreamTransportOptions {
  /** The backend's base URL, e.g. `http://127.0.0.1:7101` (h2c) or `https://auth.internal:443`. */
  baseUrl: string;
  /** gRPC (default) or the Connect protocol with binary protobuf. */
  protocol?: "grpc" | "connect";
  /** A response larger than this fails with RESOURCE_EXHAUSTED. Default 4 GiB, as connect-node's. */
  readMaxBytes?: number;
  /**
   * Keep-alive of the HTTP/2 connection (connect-node's Http2SessionManager). Default: a PING
   * after 30 s without traffic while calls are open, and before the first call on a connection
   * idle that long, so a connection that died quietly is replaced instead of hanging a call.
   */
  keepAlive?: Http2SessionOptions;
  /** Options of `http2.connect`, e.g. a CA for TLS to the backend. */
  http2?: ClientSessionOptions | SecureClientSessionOptions;
}

const DEFAULT_KEEP_ALIVE: Http2SessionOptions = { pingIntervalMs: 30_000, pingTimeoutMs: 10_000 };

/**
 * The transport the transcoder calls one backend with: unary calls go through a slim client
 * written on node:http2 (the gRPC or Connect framing done here, on one pooled HTTP/2
 * connection), server streams through connect-node's transport on the same connection.
 *
 * Why not connect-node for unary calls too: per call it builds an interceptor chain, linked
 * AbortControllers, WHATWG Headers for request, response and trailers, and async-iterable
 * envelope pipelines; on the gateway's hot path that was most of its CPU per request. Codes,
 * messages, error details, metadata, deadlines and response headers come out the same
 * (test/transcoder/upstream-transport.test.ts checks them against real backends). A call whose
 * context values carry a transcoder's response dedupe (response-dedupe.ts) decodes a response
 * seen lately to the message decoded then. `close` ends its connection.
 */
export function createUpstreamTransport(opts: UpstreamTransportOptions): Transport & { close(): void } {
  const protocol = opts.protocol ?? "grpc";
  // One connection per backend: HTTP/2 multiplexes every call on it, and a second connection
  // would only add a second socket for the same event loop to serve.
  const sm = new Http2SessionManager(opts.baseUrl, opts.keepAlive ?? DEFAULT_KEEP_ALIVE, opts.http2);
  const streaming =
    protocol === "grpc"
      ? createGrpcTransport({ baseUrl: opts.baseUrl, sessionManager: sm })
      : createConnectTransport({ baseUrl: opts.baseUrl, httpVersion: "2", useBinaryFormat: true, sessionManager: sm });
  const unary = protocol === "grpc" ? grpcUnary : connectUnary;
  const readMaxBytes = opts.readMaxBytes ?? 0xffffffff;
  const basePath = new URL(opts.baseUrl).pathname.replace(/\/+$/, "");
  const paths = new WeakMap<DescMethod, string>();
  const pathOf = (method: DescMethod) => {
    let p = paths.get(method);
    if (p === undefined) {
      p = `${basePath}/${method.parent.typeName}/${method.name}`;
      paths.set(method, p);
    }
    return p;
  };

  return {
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      // As connect-es: no timeout, or one of 0 or less, means no deadline.
      const deadline = timeoutMs === undefined || timeoutMs <= 0 ? undefined : timeoutMs;
      const headers = unary.headers(deadline);
      addMetadata(headers, header);
      const body = unary.frame(serialize(method.input, input));
      const res = await exchange(sm, pathOf(method), headers, body, { signal, timeoutMs: deadline, readMaxBytes });
      const out = unary.decode(res, method.output, contextValues?.get(responseDedupeKey));
      return { stream: false, service: method.parent, method, header: out.header, trailer: out.trailer, message: out.message };
    },
    stream: (method, signal, timeoutMs, header, input, contextValues) => streaming.stream(method, signal, timeoutMs, header, input, contextValues),
    /** Ends the connection (a balancer closes an instance's transport once the instance is gone). */
    close: () => sm.abort(),
  };
}

function serialize<I extends DescMessage>(desc: I, input: MessageInitShape<I>): Uint8Array {
  try {
    return toBinary(desc, isMessage(input, desc) ? input : create(desc, input));
  } catch (e) {
    throw new ConnectError(`serialize binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal);
  }
}

// Headers only the protocol sets: metadata must not override the framing or the deadline.
const RESERVED = new Set(["content-type", "te", "user-agent", "grpc-timeout", "connect-timeout-ms", "connect-protocol-version", "content-length"]);

/** Adds call metadata (as the transcoder passes it: name-value pairs, or any HeadersInit). */
function addMetadata(out: OutgoingHttpHeaders, metadata: Parameters<Transport["unary"]>[3]): void {
  if (metadata === undefined) return;
  const pairs: Iterable<[string, string]> =
    Array.isArray(metadata) || metadata instanceof Headers ? (metadata as Iterable<[string, string]>) : Object.entries(metadata as Record<string, string>);
  for (const [name, value] of pairs) {
    const k = name.toLowerCase();
    if (RESERVED.has(k) || k.startsWith(":")) continue;
    const prev = out[k];
    out[k] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [String(prev), value];
  }
}
