import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack } from "./fixture.js";

// The micro-cache of whole responses for anonymous GETs that shared caches may keep
// (response-cache.ts): a repeat within the TTL never reaches the backend.

let s: Stack;
let calls = 0;
const counting = (t: Transport): Transport => ({
  unary: (...args) => {
    calls++;
    return t.unary(...args);
  },
  stream: (...args) => t.stream(...args),
});
const ttls: Record<string, number> = { GetItem: 60_000, ListByInner: 500, Fail: 60_000 };

beforeAll(async () => {
  s = await startStack({
    upstream: (baseUrl) => counting(createGrpcTransport({ baseUrl })),
    cacheControl: () => "public, max-age=60",
    credentialHeaders: ["Authorization", "X-Api-Key"],
    sharedCacheTtlMs: (route) => ttls[route.method.name] ?? 0,
  });
});
afterAll(async () => {
  await s?.close();
});

/** Backend calls made by `run`. */
async function callsDuring(run: () => Promise<unknown>): Promise<number> {
  const before = calls;
  await run();
  return calls - before;
}

describe("the shared response cache", () => {
  it("answers a repeat of an anonymous GET from memory, byte for byte, with the new request's id", async () => {
    const first = await call(`${s.base}/v1/items/c1`, { headers: { "x-request-id": "req-first-0001" } });
    let again: Awaited<ReturnType<typeof call>> | undefined;
    expect(await callsDuring(async () => (again = await call(`${s.base}/v1/items/c1`, { headers: { "x-request-id": "req-again-0002" } })))).toBe(0);
    expect(again?.text).toBe(first.text);
    expect(again?.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(again?.headers.get("x-request-id")).toBe("req-again-0002");
  });

  it("keeps requests that differ in path, query or language apart", async () => {
    await call(`${s.base}/v1/items/c2`);
    expect(await callsDuring(() => call(`${s.base}/v1/items/c3`))).toBe(1);
    expect(await callsDuring(() => call(`${s.base}/v1/items/c2?name=x`))).toBe(1);
    expect(await callsDuring(() => call(`${s.base}/v1/items/c2`, { headers: { "accept-language": "ko" } }))).toBe(1);
    expect(await callsDuring(() => call(`${s.base}/v1/items/c2`, { headers: { "accept-language": "ko" } }))).toBe(0);
  });

  it("never serves or stores a request with credentials", async () => {
    const auth = { headers: { authorization: "Bearer abc.def.ghi" } };
    expect(await callsDuring(() => call(`${s.base}/v1/items/c4`, auth))).toBe(1);
    expect(await callsDuring(() => call(`${s.base}/v1/items/c4`, auth))).toBe(1);
    expect(await callsDuring(() => call(`${s.base}/v1/items/c4`))).toBe(1);
    expect(await callsDuring(() => call(`${s.base}/v1/items/c4`, auth))).toBe(1);
  });

  it("counts an API key as a credential, and makes the answer private", async () => {
    const key = { headers: { "x-api-key": "partner-key-1" } };
    const first = await call(`${s.base}/v1/items/c6`, key);
    expect(first.headers.get("cache-control")).toBe("private, max-age=60");
    expect(first.headers.get("vary")).toBe("Authorization, X-Api-Key");
    expect(await callsDuring(() => call(`${s.base}/v1/items/c6`, key))).toBe(1);
    const anonymous = await call(`${s.base}/v1/items/c6`);
    expect(anonymous.headers.get("cache-control")).toBe("public, max-age=60");
    expect(await callsDuring(() => call(`${s.base}/v1/items/c6`, key))).toBe(1);
  });

  it("revalidates a cached response: If-None-Match with its tag is 304", async () => {
    const first = await call(`${s.base}/v1/items/c5`);
    const r = await call(`${s.base}/v1/items/c5`, { headers: { "if-none-match": first.headers.get("etag")! } });
    expect(r.status).toBe(304);
    expect(r.text).toBe("");
    expect((await call(`${s.base}/v1/items/c5`)).text).toBe(first.text);
  });

  it("does not keep errors, and forgets an entry when its time is up", async () => {
    expect(await callsDuring(() => call(`${s.base}/v1/fail?code=5`))).toBe(1);
    expect(await callsDuring(() => call(`${s.base}/v1/fail?code=5`))).toBe(1);
    await call(`${s.base}/v1/inner/a/items`);
    expect(await callsDuring(() => call(`${s.base}/v1/inner/a/items`))).toBe(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(await callsDuring(() => call(`${s.base}/v1/inner/a/items`))).toBe(1);
  });

  it("leaves alone routes without a shared TTL and methods other than GET", async () => {
    await call(`${s.base}/v1/items/special`);
    expect(await callsDuring(() => call(`${s.base}/v1/items/special`))).toBe(1);
    expect(await callsDuring(() => call(`${s.base}/v1/items/c1`, { method: "DELETE" }))).toBe(1);
  });
});
