import { connect } from "node:http2";
import { request } from "node:http";
import fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastifyTranscoder } from "../../src/transcoder/index.js";
import { call, type Stack, startStack } from "./fixture.js";

// The Fastify adapter: a catch-all under a prefix, raw bodies scoped to it, streamed for
// client and bidi streams.

let s: Stack;
beforeAll(async () => {
  s = await startStack({
    prefix: "/v1",
    // Registered after the transcoder: the app's own routes and JSON parsing are untouched.
    setup: (app) => app.post("/echo", async (req) => ({ got: req.body })),
  });
});
afterAll(async () => {
  await s?.close();
});

describe("fastifyTranscoder", () => {
  it("serves the transcoder's routes under the prefix", async () => {
    const r = await call(`${s.base}/v1/items/f1?tags=a`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: "f1", tags: ["a"] });
  });

  it("answers 404 and 405 under the prefix itself", async () => {
    expect((await call(`${s.base}/v1/none`)).json).toEqual({ code: 5, message: "Not Found", details: [] });
    expect((await call(`${s.base}/v1`)).json).toEqual({ code: 5, message: "Not Found", details: [] });
    const r = await call(`${s.base}/v1/items/f1`, { method: "POST", body: "{}" });
    expect(r.status).toBe(405);
  });

  it("leaves paths outside the prefix to Fastify", async () => {
    const r = await call(`${s.base}/elsewhere`);
    expect(r.status).toBe(404);
    expect(r.json).not.toHaveProperty("details");
  });

  it("keeps the app's own JSON parsing for its other routes", async () => {
    const r = await call(`${s.base}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
    expect(r.json).toEqual({ got: { a: 1 } });
  });

  it.each([
    { type: "application/json", body: '{"name":"j"}' },
    { type: "application/json; charset=utf-8", body: '{"name":"j"}' },
    { type: "text/plain", body: '{"name":"j"}', status: 415 },
    { type: "application/x-www-form-urlencoded", body: '{"name":"j"}', status: 415 },
  ])("hands the raw body to the transcoder whatever the content type ($type), which decides", async (c) => {
    const r = await call(`${s.base}/v1/shelves/s1/items`, { method: "POST", headers: { "content-type": c.type }, body: c.body });
    expect(r.status).toBe(c.status ?? 200);
    // The transcoder's own answer either way (a 415 from Fastify would not be a Status).
    expect(r.json).toMatchObject(c.status ? { code: 3, details: [] } : { name: "s1" });
  });

  it("routes a custom method (SEARCH) through Fastify", async () => {
    const r = await call(`${s.base}/v1/items`, { method: "SEARCH", body: '{"tags":["x"]}' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ tags: ["x"] });
  });
});

describe("request bodies", () => {
  const big = JSON.stringify({ name: "x".repeat(1 << 20) });

  it("refuses a body past Fastify's bodyLimit with its 413, as Fastify's own parser does", async () => {
    const r = await call(`${s.base}/v1/shelves/s1/items`, { method: "POST", body: big });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ code: "FST_ERR_CTP_BODY_TOO_LARGE" });
  });

  it("refuses a chunked body once it grows past the bodyLimit", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.base}/v1/shelves/s1/items`, { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      // No Content-Length: the limit can only be checked as the bytes come.
      req.write(big.slice(0, 1000));
      req.end(big.slice(1000));
    });
    expect(status).toBe(413);
  });

  it("streams a client stream's body past the bodyLimit, limiting each message instead", async () => {
    const r = await call(`${s.base}/v1/items:uploadCount`, { method: "POST", body: "{}\n".repeat(1000) + big });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 3, message: "request message 1001: larger than 1048576 bytes" });
  });
});

describe("over HTTP/2", () => {
  let h2: ReturnType<typeof fastify>;
  let base: string;
  beforeAll(async () => {
    h2 = fastify({ http2: true }) as unknown as ReturnType<typeof fastify>;
    fastifyTranscoder(h2, s.transcoder, { prefix: "/v1" });
    base = await h2.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => h2?.close());

  const post = (path: string, body: string, contentType: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const session = connect(base);
      const req = session.request({ ":method": "POST", ":path": path, "content-type": contentType });
      let text = "";
      let status = 0;
      req.on("response", (h) => {
        status = Number(h[":status"]);
      });
      req.setEncoding("utf8");
      req.on("data", (d: string) => {
        text += d;
      });
      req.on("end", () => {
        session.close();
        resolve({ status, text });
      });
      req.on("error", reject);
      req.end(body);
    });

  it.each([
    { what: "a unary call", path: "/v1/shelves/s1/items", body: '{"count":1}', type: "application/json", text: /"count":1/ },
    { what: "a client stream", path: "/v1/shelves/s1/items:upload?revision=2", body: '{"id":"a"}\n{"id":"b"}\n', type: "application/x-ndjson", text: /"count":2/ },
    { what: "a bidi stream", path: "/v1/items:echo", body: '{"item":{"id":"a"}}\n{"item":{"id":"b"}}\n', type: "application/x-ndjson", text: /^\{"result".*\n\{"result".*\n$/ },
  ])("transcodes $what", async (c) => {
    const r = await post(c.path, c.body, c.type);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toMatch(c.text);
  });
});
