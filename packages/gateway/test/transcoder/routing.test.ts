import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack } from "./fixture.js";

// Path templates per google/api/http.proto, over real HTTP: the echo service returns the
// request it received, so each case reads back the fields the path bound.

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

describe("path templates", () => {
  it.each([
    { shape: "{field}", method: "GET", path: "/v1/items/abc", expect: { id: "abc" } },
    { shape: "literal over variable", method: "GET", path: "/v1/items/special", expect: { id: "", name: "special" } },
    { shape: "nested {a.b}", method: "GET", path: "/v1/inner/lbl/items", expect: { inner: { label: "lbl" } } },
    { shape: "{name=shelves/*/books/*}", method: "GET", path: "/v1/shelves/s1/books/b1", expect: { name: "shelves/s1/books/b1" } },
    { shape: "additional_bindings (second get)", method: "GET", path: "/v1/authors/a1/books/b1", expect: { name: "authors/a1/books/b1" } },
    { shape: "additional_bindings (post with verb)", method: "POST", path: "/v1/shelves/s1/books/b1:lookup", expect: { name: "shelves/s1/books/b1" } },
    { shape: "{path=**} keeps slashes", method: "GET", path: "/v1/files/a/b/c.txt", expect: { path: "a/b/c.txt" } },
    { shape: "{path=**} matches one segment", method: "GET", path: "/v1/files/readme", expect: { path: "readme" } },
    { shape: "** outside a variable, with a verb", method: "GET", path: "/v1/static/x/y/z:download", expect: { id: "" } },
    { shape: "custom verb", method: "POST", path: "/v1/items/abc:archive", expect: { id: "abc" } },
    { shape: "custom verb is not part of a GET variable", method: "GET", path: "/v1/items/abc:archive", expect: { id: "abc:archive" } },
    { shape: "custom kind (SEARCH)", method: "SEARCH", path: "/v1/items", expect: { id: "" } },
    { shape: "put", method: "PUT", path: "/v1/items/p1", expect: { id: "p1" } },
    { shape: "delete", method: "DELETE", path: "/v1/items/d1", expect: {} },
  ])("$shape: $method $path", async (c) => {
    const r = await call(s.base + c.path, { method: c.method, body: ["GET", "HEAD", "DELETE"].includes(c.method) ? undefined : "{}" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject(c.expect);
  });

  it.each([
    { why: "single segment: everything decoded, %2F too", path: "/v1/items/a%20b%2Fc%3Ad", field: "id", value: "a b/c:d" },
    { why: "unicode in a segment", path: "/v1/items/caf%C3%A9", field: "id", value: "café" },
    { why: "multi segment: decoded except %2F", path: "/v1/files/dir%20one/x%2Fy", field: "path", value: "dir one/x%2Fy" },
    { why: "pattern variable: %2F kept inside", path: "/v1/shelves/s%201/books/b%2F2", field: "name", value: "shelves/s 1/books/b%2F2" },
  ])("percent-decodes path values ($why)", async (c) => {
    const r = await call(s.base + c.path);
    expect(r.status).toBe(200);
    expect((r.json as Record<string, unknown>)[c.field]).toBe(c.value);
  });

  it.each([
    { path: "/v1/typed/123/KIND_MAP/true", expect: { size: "123", kind: "KIND_MAP", flag: true } },
    { path: "/v1/typed/-9007199254740993/1/false", expect: { size: "-9007199254740993", kind: "KIND_BOOK", flag: false } },
    { path: "/v1/typed/0/2/1", expect: { size: "0", kind: "KIND_MAP", flag: true } },
  ])("converts path values into the field's type: $path", async (c) => {
    const r = await call(s.base + c.path);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject(c.expect);
  });

  it.each([
    { path: "/v1/typed/abc/1/true", field: "size" },
    { path: "/v1/typed/1/KIND_NOPE/true", field: "kind" },
    { path: "/v1/typed/1/1/yes", field: "flag" },
    { path: "/v1/typed/99999999999999999999/1/true", field: "size" },
  ])("a path value of the wrong type is 400 naming the field: $path", async (c) => {
    const r = await call(s.base + c.path);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      code: 3,
      details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: c.field }] }],
    });
  });
});

describe("routing errors", () => {
  it.each([
    { method: "GET", path: "/nope" },
    { method: "GET", path: "/v1" },
    { method: "GET", path: "/v1/items/a/b" },
    { method: "GET", path: "/v1/shelves/s1/books" },
    { method: "GET", path: "/v1/items/" },
    { method: "GET", path: "/v1/static/x:upload" },
    { method: "POST", path: "/v2/items" },
  ])("an unmatched path is 404 with a google.rpc.Status: $method $path", async (c) => {
    const r = await call(s.base + c.path, { method: c.method });
    expect(r.status).toBe(404);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.json).toEqual({ code: 5, message: "Not Found", details: [] });
  });

  it.each([
    { method: "POST", path: "/v1/items/abc", allow: "DELETE, GET, PATCH, PUT" },
    { method: "DELETE", path: "/v1/items:watch", allow: "GET" },
    { method: "GET", path: "/v1/shelves/s1/items", allow: "POST" },
    { method: "GET", path: "/v1/items:upload", allow: "POST" },
    { method: "PUT", path: "/v1/fail", allow: "GET, POST" },
    { method: "GET", path: "/v1/items", allow: "SEARCH" },
  ])("a path that matches another method is 405 with Allow: $method $path", async (c) => {
    const r = await call(s.base + c.path, { method: c.method });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe(c.allow);
    // grpc-gateway's routing error for 405 carries UNIMPLEMENTED in the body.
    expect(r.json).toEqual({ code: 12, message: "Method Not Allowed", details: [] });
  });

  it("answers HEAD like GET, without a body", async () => {
    const get = await call(`${s.base}/v1/items/h1`);
    const head = await fetch(`${s.base}/v1/items/h1`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
    expect(await head.text()).toBe("");
  });

  it("leaves other routes of the app alone", async () => {
    const r = await call(`${s.base}/healthz`);
    expect(r.json).toEqual({ ok: true });
  });

  it("does not expose RPCs without an http rule", async () => {
    const paths = s.transcoder.routes.map((r) => r.method.name);
    expect(paths).not.toContain("Internal");
    const r = await call(`${s.base}/transcoding.v1.TranscodingService/Internal`, { method: "POST", body: "{}" });
    expect(r.status).toBe(404);
  });

  it("routes a client-streaming RPC with a rule (client-stream.test.ts has the rest)", async () => {
    const r = await call(`${s.base}/v1/items:upload`, { method: "POST", body: "{}" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ count: 1 });
  });
});

describe("routes", () => {
  it("lists every binding with its rule, in declaration order", () => {
    const byName = s.transcoder.routes.filter((r) => r.method.name === "GetByName");
    expect(byName.map((r) => [r.httpMethod, r.template, r.bindingIndex, r.body, r.verb])).toEqual([
      ["GET", "/v1/{name=shelves/*/books/*}", 0, undefined, undefined],
      ["GET", "/v1/{name=authors/*/books/*}", 1, undefined, undefined],
      ["POST", "/v1/{name=shelves/*/books/*}:lookup", 2, "*", "lookup"],
    ]);
    const put = s.transcoder.routes.find((r) => r.method.name === "PutItem");
    expect(put).toMatchObject({ httpMethod: "PUT", pathFields: ["item.id"], body: "item", responseBody: "item" });
  });
});
