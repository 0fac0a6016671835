// What clients see of failures at the gateway's edge, through real HTTP: every error is a
// google.rpc.Status, transport failures never show their text, and 429/503 say when to retry.
import * as http2 from "node:http2";
import { connect, createServer, type Socket } from "node:net";
import { createLogger } from "@triphub/platform";
import { type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

const log = createLogger({ service: "gateway-test", level: "silent" });

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A faulty HTTP/2 peer in place of a backend: it resets every stream with `fault.rstCode`, or
 * with `fault.rstCode` undefined never answers. Not a stand-in for one of our services: it is
 * the network failing under one.
 */
async function faultyUpstream() {
  const fault: { rstCode?: number } = { rstCode: http2.constants.NGHTTP2_FRAME_SIZE_ERROR };
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  server.on("stream", (stream) => {
    // Closing with an error code reports that code as the stream's error here too.
    stream.on("error", () => {});
    if (fault.rstCode !== undefined) stream.close(fault.rstCode);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    fault,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sessions) s.destroy();
        server.close(() => r());
      }),
  };
}

async function gatewayFor(upstream: string, extra: Record<string, string> = {}): Promise<RunningService> {
  const dead = `http://127.0.0.1:${await deadPort()}`;
  return serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `auth=${upstream}`,
        AUTH_JWKS_URL: `${dead}/.well-known/jwks.json`,
        UPSTREAM_TIMEOUT_MS: "2000",
        EDGE_CACHE_TTL_MS: "0",
        CORS_ORIGINS: "https://app.triphub.test",
        ...extra,
      }),
      log,
    }),
  );
}

let down: RunningService;
let faulty: Awaited<ReturnType<typeof faultyUpstream>>;
let behindFaulty: RunningService;
beforeAll(async () => {
  down = await gatewayFor(`http://127.0.0.1:${await deadPort()}`);
  faulty = await faultyUpstream();
  behindFaulty = await gatewayFor(faulty.url);
});
afterAll(async () => {
  await down?.close();
  await behindFaulty?.close();
  await faulty?.close();
});

/** One raw HTTP/1.1 exchange: what the server wrote before it closed the connection. */
function rawExchange(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (d) => {
      received += d.toString("latin1");
    });
    socket.on("error", (e) => (received ? resolve(received) : reject(e)));
    socket.on("close", () => resolve(received));
    socket.write(request);
  });
}
const portOf = (s: RunningService) => Number(new URL(s.url).port);

const login = (g: RunningService, init: { contentType?: string; body?: string } = {}) =>
  fetch(`${g.url}/api/v1/auth:login`, {
    method: "POST",
    headers: init.contentType === undefined ? {} : { "content-type": init.contentType },
    body: init.body ?? JSON.stringify({ email: "ana@example.com", password: "whatever it is" }),
  });

const isStatus = (body: unknown, code: number) => expect(body).toEqual({ code, message: expect.any(String), details: [] });

describe("the gateway's own refusals are google.rpc.Status", () => {
  it("answers a body past the limit with 413", async () => {
    const res = await login(down, { contentType: "application/json", body: JSON.stringify({ email: "x".repeat(5 * 1024 * 1024) }) });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    isStatus(await res.json(), 3);
  });

  it("answers headers past the limit with 431", async () => {
    const res = await fetch(`${down.url}/api/v1/users/me`, { headers: { "x-filler": "a".repeat(20_000) } });
    expect(res.status).toBe(431);
    isStatus(await res.json(), 3);
  });

  it("answers a 100 KB URL with 414 instead of dropping the connection", async () => {
    const res = await fetch(`${down.url}/api/v1/users/${"a".repeat(100_000)}`);
    expect(res.status).toBe(414);
    isStatus(await res.json(), 3);
    // The gateway is still serving.
    expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
  });

  it("answers a malformed request line with 400", async () => {
    const raw = await rawExchange(portOf(down), "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    isStatus(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)), 3);
  });

  it("answers a path that does not percent-decode with 400, in its own words", async () => {
    const res = await fetch(`${down.url}/api/v1/reviews/%E0%A4%A`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    isStatus(body, 3);
    expect(body.message).not.toMatch(/FST_|valid url component/);
  });

  it("answers an OPTIONS that is no preflight of an allowed origin, and paths without a route, with 404", async () => {
    const preflight = await fetch(`${down.url}/api/v1/users/me`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(404);
    isStatus(await preflight.json(), 5);
    const plain = await fetch(`${down.url}/api/v1/users/me`, { method: "OPTIONS" });
    expect(plain.status).toBe(404);
    isStatus(await plain.json(), 5);
    const none = await fetch(`${down.url}/nothing/here`);
    expect(none.status).toBe(404);
    isStatus(await none.json(), 5);
  });

  it("sends X-Content-Type-Options: nosniff with every JSON answer", async () => {
    for (const path of ["/openapi.json", "/healthz", "/api/v1/users/me", "/nothing"]) {
      expect((await fetch(down.url + path)).headers.get("x-content-type-options"), path).toBe("nosniff");
    }
  });
});

describe("transport failures reach clients as a clean Status", () => {
  it("answers 503 UNAVAILABLE with Retry-After and the service's name when the backend is unreachable", async () => {
    const res = await login(down, { contentType: "application/json" });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ code: 14, message: "the auth service is unavailable; retry shortly", details: [] });
    expect(text).not.toMatch(/127\.0\.0\.1|ECONN/);
  });

  it("never shows an HTTP/2 reset's text", async () => {
    faulty.fault.rstCode = http2.constants.NGHTTP2_FRAME_SIZE_ERROR;
    const res = await login(behindFaulty, { contentType: "application/json" });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ code: 13, message: "internal error", details: [] });
    expect(text).not.toMatch(/http\/2|0x/);
  });

  it("answers 429 with Retry-After when the backend asks to calm down", async () => {
    faulty.fault.rstCode = http2.constants.NGHTTP2_ENHANCE_YOUR_CALM;
    const res = await login(behindFaulty, { contentType: "application/json" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ code: 8, message: "the service is overloaded; retry later", details: [] });
  });
});

describe("request bodies must be JSON", () => {
  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", undefined])(
    "refuses a body of type %s with 415 before any backend is asked",
    async (contentType) => {
      const res = await login(down, { contentType });
      expect(res.status).toBe(415);
      isStatus(await res.json(), 3);
    },
  );

  it.each(["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", "application/merge-patch+json"])(
    "takes a body of type %s",
    async (contentType) => {
      // The backend is down, so a body that was taken ends in 503.
      expect((await login(down, { contentType })).status).toBe(503);
    },
  );

  it("needs no Content-Type for a request without a body", async () => {
    const res = await fetch(`${down.url}/api/v1/auth:logout`, { method: "POST", headers: { authorization: "Bearer aaa.bbb.ccc" } });
    expect(res.status).not.toBe(415);
  });
});

describe("/docs", () => {
  it("has a Content-Security-Policy for what the page loads, and cannot be framed", async () => {
    const res = await fetch(`${down.url}/docs`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    // Everything the page references is on our own server, which script-src 'self' allows.
    const html = await res.text();
    for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(src).toMatch(/^\/docs\//);
  });
});

describe("while shutting down", () => {
  it("answers new requests with 503 UNAVAILABLE, Retry-After and a Status body", async () => {
    const hanging = await faultyUpstream();
    hanging.fault.rstCode = undefined;
    const g = await gatewayFor(hanging.url);
    try {
      const socket = connect(portOf(g), "127.0.0.1");
      let received = "";
      socket.on("data", (d) => {
        received += d.toString("latin1");
      });
      const ended = new Promise<void>((r) => socket.on("close", () => r()));
      // An in-flight call that keeps the gateway draining (its upstream never answers).
      socket.write("GET /api/v1/auth/jwks HTTP/1.1\r\nHost: x\r\n\r\n");
      await new Promise((r) => setTimeout(r, 300));
      const closing = g.close();
      await new Promise((r) => setTimeout(r, 200));
      // A request that arrives meanwhile, on the connection still open.
      socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      await Promise.all([closing, ended]);
      const second = received.slice(received.indexOf("HTTP/1.1", 10));
      expect(second).toMatch(/^HTTP\/1\.1 503 /);
      expect(second.toLowerCase()).toMatch(/\r\nretry-after: \d+\r\n/);
      isStatus(JSON.parse(second.slice(second.indexOf("\r\n\r\n") + 4)), 14);
    } finally {
      await g.close();
      await hanging.close();
    }
  });
});
