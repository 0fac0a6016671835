import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack } from "./fixture.js";

// The Fastify adapter: a catch-all under a prefix, raw bodies scoped to it.

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
    { type: "text/plain", body: '{"name":"j"}' },
    { type: "application/x-www-form-urlencoded", body: '{"name":"j"}' },
  ])("hands the raw body to the transcoder whatever the content type ($type)", async (c) => {
    const r = await call(`${s.base}/v1/shelves/s1/items`, { method: "POST", headers: { "content-type": c.type }, body: c.body });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: "s1" });
  });

  it("routes a custom method (SEARCH) through Fastify", async () => {
    const r = await call(`${s.base}/v1/items`, { method: "SEARCH", body: '{"tags":["x"]}' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ tags: ["x"] });
  });
});
