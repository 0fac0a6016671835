import { Agent, request as h1Request } from "node:http";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { AuthService, GetJwksResponseSchema } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceHost } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

let host: ServiceHost;
let url: string;
beforeAll(async () => {
  ({ host, url } = await startTestHost({
    getJwks: () => create(GetJwksResponseSchema, { keys: [{ kid: "k1", kty: "EC" }] }),
  }));
});
afterAll(() => host.close());

describe("one port, every protocol", () => {
  it.each([
    ["gRPC over HTTP/2 (h2c)", () => createGrpcTransport({ baseUrl: url })],
    ["Connect over HTTP/2", () => createConnectTransport({ baseUrl: url, httpVersion: "2" })],
    ["Connect over HTTP/1.1", () => createConnectTransport({ baseUrl: url, httpVersion: "1.1" })],
    ["gRPC-Web over HTTP/1.1", () => createGrpcWebTransport({ baseUrl: url, httpVersion: "1.1" })],
  ])("answers %s", async (_name, transport) => {
    const res = await createClient(AuthService, transport()).getJwks({});
    expect(res.keys[0]?.kid).toBe("k1");
  });

  it("serves Connect JSON to a plain HTTP/1.1 client, as curl would send it", async () => {
    const { status, body, version } = await new Promise<{ status: number; body: string; version: string }>((resolve, reject) => {
      const req = h1Request(`${url}/triphub.auth.v1.AuthService/GetJwks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, version: res.httpVersion }));
      });
      req.on("error", reject);
      req.end("{}");
    });
    expect(version).toBe("1.1");
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ keys: [{ kid: "k1", kty: "EC" }] });
  });

  // The server factory skips what Fastify sets on an HTTP/1.1 server it builds; without it,
  // Node's defaults close an idle keep-alive connection after 5 s (and cut request bodies
  // after 300 s).
  it("keeps an idle HTTP/1.1 connection alive past Node's 5 s default, as Fastify's own server does", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = h1Request(`${url}/healthz`, { agent });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      await new Promise((r) => setTimeout(r, 6_000));
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 20_000);

  it("echoes a well-formed request id and invents one otherwise", async () => {
    const given = await fetch(`${url}/healthz`, { headers: { "x-request-id": "req-12345678" } });
    expect(given.headers.get("x-request-id")).toBe("req-12345678");
    const injected = await fetch(`${url}/healthz`, { headers: { "x-request-id": "bad\tid" } });
    expect(injected.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers UNIMPLEMENTED for an RPC the service does not implement", async () => {
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    await expect(client.rotateSigningKey({})).rejects.toMatchObject({ code: 12 });
  });
});
