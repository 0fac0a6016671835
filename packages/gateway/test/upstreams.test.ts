import { createServer } from "node:net";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upstreamTransport } from "../src/upstreams.js";
import { call, type Stack, startStack } from "./transcoder/fixture.js";

// The gateway calls backends with its own unary client (upstreamTransport, gRPC or Connect);
// the transcoder's own tests use connect-node's gRPC transport. A REST client must not be able
// to tell which one was used.

let connect: Stack;
let slimGrpc: Stack;
let grpc: Stack;
beforeAll(async () => {
  connect = await startStack({ timeoutMs: 300, upstream: (url) => upstreamTransport(url, "connect") });
  slimGrpc = await startStack({ timeoutMs: 300, upstream: (url) => upstreamTransport(url, "grpc") });
  grpc = await startStack({ timeoutMs: 300 });
});
afterAll(async () => {
  await connect?.close();
  await slimGrpc?.close();
  await grpc?.close();
});

const closedPort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });

const seen = (r: Awaited<ReturnType<typeof call>>) => ({
  status: r.status,
  json: r.json,
  contentType: r.headers.get("content-type"),
  requestId: r.headers.get("x-request-id"),
  internal: r.headers.get("x-internal-secret"),
  etag: r.headers.get("etag"),
});

describe("upstreamTransport (gRPC and Connect) answers REST clients exactly as connect-node's gRPC transport does", () => {
  it.each<{ what: string; path: string; init?: { method?: string; body?: string; headers?: Record<string, string> } }>([
    { what: "a GET with path and query values", path: "/v1/items/a1?tags=x&tags=y" },
    { what: "a POST with a body", path: "/v1/shelves/s1/items", init: { method: "POST", body: '{"name":"n","quantity":2}' } },
    { what: "forwarded headers and the backend's request id", path: "/v1/fail?response_request_id=backend-req-0001", init: { headers: { authorization: "Bearer t", "accept-language": "de", cookie: "c=1", "x-custom": "no" } } },
    { what: "an error with details", path: "/v1/fail?code=9&message=nope&bad_request=true&error_info=true&unknown_detail=true" },
    ...[1, 2, 3, 5, 7, 8, 13, 14, 16].map((code) => ({ what: `error code ${code}`, path: "/v1/fail", init: { method: "POST", body: JSON.stringify({ code, message: `m${code}` }) } })),
    { what: "protovalidate violations", path: "/v1/shelves/s1/items", init: { method: "POST", body: '{"quantity":-1}' } },
    { what: "the deadline", path: "/v1/fail?delay_ms=5000" },
    { what: "a retried UNAVAILABLE", path: "/v1/fail?failures=1&key=retry-KEY" },
    { what: "a server stream", path: "/v1/items:watch?count=3" },
    { what: "a server stream that fails midway", path: "/v1/items:watch?count=2&fail_code=10" },
    { what: "a server stream that fails at once", path: "/v1/items:watch?count=0&fail_code=7" },
  ])("$what", async (c) => {
    const path = c.path.replace("KEY", "1");
    // A fixed request id: otherwise each backend makes up its own and sends it back.
    const init = { ...c.init, headers: { "x-request-id": "same-req-0001", ...c.init?.headers } };
    const [a, b, c2] = await Promise.all([call(connect.base + path, init), call(slimGrpc.base + path, init), call(grpc.base + path, init)]);
    expect(seen(a)).toEqual(seen(c2));
    expect(seen(b)).toEqual(seen(c2));
  });

  it("answers 503 without internals when the backend is down", async () => {
    const down = await startStack({ transport: upstreamTransport(`http://127.0.0.1:${await closedPort()}`, "grpc") });
    const downGrpc = await startStack({ transport: createGrpcTransport({ baseUrl: `http://127.0.0.1:${await closedPort()}` }) });
    try {
      const [a, b] = await Promise.all([call(`${down.base}/v1/items/x`), call(`${downGrpc.base}/v1/items/x`)]);
      expect(seen(a)).toEqual(seen(b));
      expect(a.json).toEqual({ code: 14, message: "the transcoding service is unavailable; retry shortly", details: [] });
    } finally {
      await down.close();
      await downGrpc.close();
    }
  });
});
