import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CACHE_CONTROL } from "../../src/transcoder/index.js";
import { call, type Stack, startStack } from "./fixture.js";

// ETag / If-None-Match / Cache-Control on successful GETs (RFC 9110 §8.8.3, §13.1.2).

let s: Stack;
beforeAll(async () => {
  s = await startStack({
    cacheControl: (route) => (route.method.name === "GetSpecialItem" ? "public, max-age=60" : undefined),
  });
});
afterAll(async () => {
  await s?.close();
});

describe("ETag", () => {
  it("sends a strong ETag that follows the body", async () => {
    const a = await call(`${s.base}/v1/items/e1`);
    const again = await call(`${s.base}/v1/items/e1`);
    const b = await call(`${s.base}/v1/items/e2`);
    expect(a.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(again.headers.get("etag")).toBe(a.headers.get("etag"));
    expect(b.headers.get("etag")).not.toBe(a.headers.get("etag"));
  });

  it.each([
    { what: "the same tag", header: (etag: string) => etag, status: 304 },
    { what: "the weak form of the tag", header: (etag: string) => `W/${etag}`, status: 304 },
    { what: "a list containing the tag", header: (etag: string) => `"other", ${etag}`, status: 304 },
    { what: "*", header: () => "*", status: 304 },
    { what: "another tag", header: () => '"something-else"', status: 200 },
  ])("If-None-Match with $what answers $status", async (c) => {
    const first = await call(`${s.base}/v1/items/e3`);
    const etag = first.headers.get("etag")!;
    const r = await call(`${s.base}/v1/items/e3`, { headers: { "if-none-match": c.header(etag) } });
    expect(r.status).toBe(c.status);
    expect(r.headers.get("etag")).toBe(etag);
    if (c.status === 304) expect(r.text).toBe("");
  });

  it.each([
    { method: "POST", path: "/v1/shelves/s/items" },
    { method: "PATCH", path: "/v1/items/e4" },
    { method: "DELETE", path: "/v1/items/e4" },
  ])("does not tag or cache $method responses", async (c) => {
    const r = await call(s.base + c.path, { method: c.method, body: c.method === "DELETE" ? undefined : "{}" });
    expect(r.status).toBe(200);
    expect(r.headers.get("etag")).toBeNull();
    expect(r.headers.get("cache-control")).toBeNull();
  });

  it("does not tag errors", async () => {
    const r = await call(`${s.base}/v1/fail?code=5`);
    expect(r.status).toBe(404);
    expect(r.headers.get("etag")).toBeNull();
  });
});

describe("Cache-Control", () => {
  it("comes from the cacheControl option per route", async () => {
    const r = await call(`${s.base}/v1/items/special`);
    expect(r.headers.get("cache-control")).toBe("public, max-age=60");
  });

  it("is no-store when the option says nothing", async () => {
    const r = await call(`${s.base}/v1/items/c1`);
    expect(DEFAULT_CACHE_CONTROL).toBe("no-store");
    expect(r.headers.get("cache-control")).toBe("no-store");
  });
});
