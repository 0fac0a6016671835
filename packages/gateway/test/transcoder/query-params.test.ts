import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ignoredQueryParameter } from "../../src/transcoder/query-params.js";
import { call, type Stack, startStack } from "./fixture.js";

// Unknown query parameters are INVALID_ARGUMENT, but clients and proxies add their own
// (cache-busters, campaign tags): `ignoredQueryParameters` lists those to skip. It never skips
// a parameter that names a request field.

let strict: Stack;
let lenient: Stack;
beforeAll(async () => {
  [strict, lenient] = await Promise.all([startStack(), startStack({ ignoredQueryParameters: ["_", /^utm_/g, "name", "id", "revision"] })]);
});
afterAll(async () => {
  await Promise.all([strict?.close(), lenient?.close()]);
});

describe("ignoredQueryParameters", () => {
  it("is empty by default: an unknown parameter is refused", async () => {
    const r = await call(`${strict.base}/v1/items/q1?_=1700000000`);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 3, message: "_: unknown query parameter" });
  });

  it.each([
    { what: "a listed name", path: "/v1/items/q1?_=1700000000", expect: { id: "q1", name: "" } },
    { what: "names matching a pattern, again and again", path: "/v1/items/q1?utm_source=a&utm_medium=b&utm_campaign=c", expect: { id: "q1" } },
    { what: "a listed name beside real fields", path: "/v1/items/q1?_=1&displayName=Ana", expect: { id: "q1", displayName: "Ana" } },
    { what: "a listed name with `body: *`", path: "/v1/shelves/s1/items?_=1", body: '{"count":2}', expect: { name: "s1", count: 2 } },
  ])("skips $what", async (c) => {
    const r = await call(lenient.base + c.path, c.body ? { method: "POST", body: c.body } : undefined);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject(c.expect);
  });

  it("skips it in a client stream too", async () => {
    const r = await call(`${lenient.base}/v1/shelves/s1/items:upload?utm_source=mail`, { method: "POST", body: '{"id":"a"}' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ count: 1 });
  });

  it.each([
    { what: "an unlisted unknown name", path: "/v1/items/q1?_=1&bogus=1", message: "bogus: unknown query parameter" },
    { what: "a name only like a listed one", path: "/v1/items/q1?__=1", message: "__: unknown query parameter" },
    { what: "a listed name bound by the path", path: "/v1/items/q1?id=other", message: "id: bound by the path, not the query" },
    { what: "a listed name that is a body field with `body: *`", path: "/v1/items:upload?revision=3", message: /takes its fields from the body/, body: "{}" },
  ])("still refuses $what", async (c) => {
    const r = await call(lenient.base + c.path, c.body ? { method: "POST", body: c.body } : undefined);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 3, message: c.message });
  });

  it("never hides a real field: a listed name that names one is bound", async () => {
    const r = await call(`${lenient.base}/v1/items/q1?name=Ana`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: "q1", name: "Ana" });
  });

  it("tests patterns without state, whatever their flags", () => {
    const ignored = ignoredQueryParameter([/^utm_/g, /^X-/iy]);
    expect([1, 2, 3].map(() => ignored("utm_source"))).toEqual([true, true, true]);
    expect([ignored("x-trace"), ignored("x-trace"), ignored("utm"), ignored("a_utm_b")]).toEqual([true, true, false, false]);
  });
});
