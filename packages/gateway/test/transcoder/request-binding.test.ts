import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack } from "./fixture.js";

// Fields not bound by the path come from the query string (no body) or the JSON body, per the
// "Rules for HTTP mapping" of google/api/http.proto. The echo service returns what it got.

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

const get = (query: string) => call(`${s.base}/v1/items/q1?${query}`);
const send = (method: string, path: string, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
  call(s.base + path, { method, headers, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("query parameters", () => {
  it.each([
    { what: "a scalar by proto name", query: "display_name=Ana", expect: { displayName: "Ana" } },
    { what: "a scalar by JSON name", query: "displayName=Ana", expect: { displayName: "Ana" } },
    { what: "nested a.b", query: "inner.label=x&inner.weight=7", expect: { inner: { label: "x", weight: "7" } } },
    { what: "nested a.b.c", query: "inner.deep.value=deep", expect: { inner: { deep: { value: "deep" } } } },
    { what: "repeated", query: "tags=x&tags=y&tags=z", expect: { tags: ["x", "y", "z"] } },
    { what: "nested repeated", query: "inner.deep.numbers=1&inner.deep.numbers=2", expect: { inner: { deep: { numbers: [1, 2] } } } },
    { what: "repeated int64", query: "sizes=1&sizes=9007199254740993", expect: { sizes: ["1", "9007199254740993"] } },
    { what: "enum by name", query: "kind=KIND_MAP", expect: { kind: "KIND_MAP" } },
    { what: "enum by number", query: "kind=1", expect: { kind: "KIND_BOOK" } },
    { what: "repeated enum", query: "kinds=KIND_BOOK&kinds=2", expect: { kinds: ["KIND_BOOK", "KIND_MAP"] } },
    { what: "bool true", query: "flag=true", expect: { flag: true } },
    { what: "bool 1", query: "flag=1", expect: { flag: true } },
    { what: "bool false", query: "flag=false", expect: { flag: false } },
    { what: "int64 beyond 2^53 as a string", query: "size=9223372036854775807", expect: { size: "9223372036854775807" } },
    { what: "uint64", query: "big=18446744073709551615", expect: { big: "18446744073709551615" } },
    { what: "int32", query: "count=-42", expect: { count: -42 } },
    { what: "double", query: "ratio=0.25", expect: { ratio: 0.25 } },
    { what: "double NaN", query: "ratio=NaN", expect: { ratio: "NaN" } },
    { what: "bytes (base64)", query: "blob=aGk%3D", expect: { blob: "aGk=" } },
    { what: "Timestamp (RFC 3339)", query: "at=2026-01-02T03:04:05.500Z", expect: { at: "2026-01-02T03:04:05.500Z" } },
    { what: "Timestamp with offset", query: "at=2026-01-02T05:04:05%2B02:00", expect: { at: "2026-01-02T03:04:05Z" } },
    { what: "Duration", query: "ttl=1.5s", expect: { ttl: "1.500s" } },
    { what: "FieldMask (proto names)", query: "mask=display_name,inner.label", expect: { mask: "displayName,inner.label" } },
    { what: "FieldMask (JSON names)", query: "mask=displayName", expect: { mask: "displayName" } },
    { what: "StringValue", query: "note=hello", expect: { note: "hello" } },
    { what: "empty StringValue is set", query: "note=", expect: { note: "" } },
    { what: "Int64Value", query: "limit=12", expect: { limit: "12" } },
    { what: "BoolValue", query: "enabled=false", expect: { enabled: false } },
    { what: "map entries", query: "labels[a]=1&labels[b]=2", expect: { labels: { a: "1", b: "2" } } },
    { what: "proto3 optional", query: "maybe=", expect: { maybe: "" } },
    { what: "+ as space, percent-decoding", query: "name=a+b%26c", expect: { name: "a b&c" } },
  ])("binds $what", async (c) => {
    const r = await get(c.query);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ id: "q1", ...c.expect });
  });

  it.each([
    { what: "an unknown parameter", query: "bogus=1", field: "bogus" },
    { what: "an unknown nested parameter", query: "inner.nope=1", field: "inner.nope" },
    { what: "a field of a scalar", query: "name.x=1", field: "name.x" },
    { what: "an int64 that is not a number", query: "size=abc", field: "size" },
    { what: "an int32 out of range", query: "count=3000000000", field: "count" },
    { what: "an unknown enum name", query: "kind=KIND_NOPE", field: "kind" },
    { what: "a bool that is not one", query: "flag=yes", field: "flag" },
    { what: "a bad Timestamp", query: "at=yesterday", field: "at" },
    { what: "a bad Duration", query: "ttl=5 minutes", field: "ttl" },
    { what: "a singular field given twice", query: "name=a&name=b", field: "name" },
    { what: "a message field as one value", query: "inner=x", field: "inner" },
    { what: "a Struct field", query: "extra=x", field: "extra" },
    { what: "a map without a key", query: "labels=x", field: "labels" },
    { what: "a field bound by the path", query: "id=other", field: "id" },
  ])("rejects $what with INVALID_ARGUMENT", async (c) => {
    const r = await get(c.query);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      code: 3,
      details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: c.field }] }],
    });
  });

  it("rejects query parameters when body is * (http.proto: no query parameters then)", async () => {
    const r = await call(`${s.base}/v1/shelves/s1/items?display_name=x`, { method: "POST", body: "{}" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 3, details: [{ fieldViolations: [{ field: "display_name" }] }] });
  });

  it("rejects query parameters naming the body field of body: field", async () => {
    const r = await call(`${s.base}/v1/items/p1?item.name=x`, { method: "PUT", body: "{}" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ details: [{ fieldViolations: [{ field: "item.name" }] }] });
  });

  it("takes fields outside the body field from the query with body: field", async () => {
    const r = await call(`${s.base}/v1/items/u1?parent=shelves/1&revision=3`, { method: "PATCH", body: '{"name":"n"}' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ parent: "shelves/1", revision: "3", item: { id: "u1", name: "n" } });
  });
});

describe("JSON body", () => {
  it.each([
    { what: "body * with JSON names", body: { displayName: "Ana", size: "5", kind: "KIND_BOOK" }, expect: { displayName: "Ana", size: "5", kind: "KIND_BOOK" } },
    { what: "body * with proto names", body: { display_name: "Ana", inner: { label: "l" } }, expect: { displayName: "Ana", inner: { label: "l" } } },
    { what: "int64 as number or string", body: { size: 12, sizes: ["9007199254740993", 2] }, expect: { size: "12", sizes: ["9007199254740993", "2"] } },
    { what: "enums by number", body: { kind: 2 }, expect: { kind: "KIND_MAP" } },
    { what: "well-known types", body: { at: "2026-01-02T03:04:05Z", ttl: "3s", mask: "a,b.c", note: "n", extra: { k: [1, "x"] } }, expect: { at: "2026-01-02T03:04:05Z", ttl: "3s", mask: "a,b.c", note: "n", extra: { k: [1, "x"] } } },
    { what: "an empty body as an empty message", body: "", expect: { displayName: "" } },
  ])("binds $what", async (c) => {
    const r = await send("POST", "/v1/shelves/s9/items", c.body);
    expect(r.status, r.text).toBe(200);
    // The path wins over the body for the same field.
    expect(r.json).toMatchObject({ name: "s9", ...c.expect });
  });

  it("lets the path override the same field in the body", async () => {
    const r = await send("POST", "/v1/shelves/from-path/items", { name: "from-body" });
    expect(r.json).toMatchObject({ name: "from-path" });
  });

  it("binds body: field into that field, merging path values into it", async () => {
    const r = await send("PUT", "/v1/items/p7", { name: "n", id: "ignored", inner: { label: "l" } });
    expect(r.status).toBe(200);
    // response_body: "item" answers with the item alone.
    expect(r.json).toMatchObject({ id: "p7", name: "n", inner: { label: "l" } });
  });

  it("needs a JSON content type (415 otherwise)", async () => {
    const r = await send("POST", "/v1/shelves/s1/items", { name: "x" }, { "content-type": "text/plain" });
    expect(r.status).toBe(415);
  });

  it.each([
    { what: "not JSON", body: "{nope", message: "request body is not valid JSON" },
    { what: "not UTF-8", body: new Uint8Array([0x7b, 0xff, 0x7d]), message: "request body is not valid JSON" },
    { what: "not an object for body *", body: "[1,2]", message: "request body must be a JSON object" },
    { what: "an unknown field", body: '{"bogus":1}', message: /bogus/ },
    { what: "a wrong type", body: '{"size":"abc"}', message: /size/ },
    { what: "an unknown enum", body: '{"kind":"KIND_NOPE"}', message: /kind/ },
  ])("rejects a body that is $what with 400", async (c) => {
    const r = await call(`${s.base}/v1/shelves/s1/items`, { method: "POST", headers: { "content-type": "application/json" }, body: c.body });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 3, message: c.message });
  });
});
