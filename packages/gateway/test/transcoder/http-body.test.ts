import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack } from "./fixture.js";
import { AVATARS, downloadsCancelled, PNG_BYTES } from "./media-service.js";

// google.api.HttpBody: raw bytes and their Content-Type in and out instead of JSON, unary and
// server-streaming, with errors still JSON google.rpc.Status and ETags still on GETs.

let s: Stack;
beforeAll(async () => {
  s = await startStack({ sharedCacheTtlMs: (route) => (route.method.name === "GetThumbnail" ? 60_000 : 0) });
});
afterAll(async () => {
  await s?.close();
});

const OCTETS = "application/octet-stream";
// Every byte value, several times over: nothing may be re-encoded on the way.
const ALL_BYTES = Uint8Array.from({ length: 256 * 300 }, (_, i) => i % 256);

// Compared as hex: exact, readable in a diff, and fast where toEqual walks 75 KiB byte by byte.
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

async function raw(path: string, init?: RequestInit) {
  const res = await fetch(s.base + path, init);
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe("HttpBody responses", () => {
  it.each([
    { what: "an HttpBody response", path: "/v1/users/ada/avatar", type: "image/png", bytes: PNG_BYTES },
    { what: "an empty content_type", path: "/v1/users/bare/avatar", type: OCTETS, bytes: AVATARS.bare.data },
    { what: "empty data", path: "/v1/users/empty/avatar", type: "text/plain", bytes: new Uint8Array(0) },
    { what: "a response_body naming an HttpBody field", path: "/v1/users/ada/thumbnail", type: "image/png", bytes: PNG_BYTES },
    { what: "a response_body HttpBody field left unset", path: "/v1/users/nobody/thumbnail", type: OCTETS, bytes: new Uint8Array(0) },
  ])("sends the raw data and content type of $what", async (c) => {
    const r = await raw(c.path);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe(c.type);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(hex(r.bytes)).toBe(hex(c.bytes));
  });

  it.each([
    { what: "a backend error", path: "/v1/users/nobody/avatar", status: 404, code: 5 },
    { what: "a requested failure", path: "/v1/users/ada/avatar?fail_code=7", status: 403, code: 7 },
    { what: "a response_body route's failure", path: "/v1/users/ada/thumbnail?fail_code=8", status: 429, code: 8 },
    { what: "an unknown query parameter", path: "/v1/users/ada/avatar?nope=1", status: 400, code: 3 },
    { what: "a stream that fails before any message", path: "/v1/users/nobody/avatar:chunks", status: 404, code: 5 },
    { what: "a stream that fails before any data", path: "/v1/users/ada/avatar:chunks?empty_first=true&fail_code=10&fail_after=0", status: 409, code: 10 },
  ])("answers $what with JSON google.rpc.Status and its HTTP status", async (c) => {
    const r = await call(s.base + c.path);
    expect(r.status).toBe(c.status);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("etag")).toBeNull();
    expect(r.json).toMatchObject({ code: c.code, details: expect.any(Array) });
  });
});

describe("HttpBody requests", () => {
  it.each([
    { what: "binary bytes", body: PNG_BYTES, type: "image/png" },
    { what: "every byte value, 75 KiB", body: ALL_BYTES, type: "application/x-blob" },
    { what: "text that is not JSON", body: new TextEncoder().encode("not json {"), type: "text/plain; charset=utf-8" },
    { what: "JSON, kept verbatim", body: new TextEncoder().encode('{"data": "eA=="}'), type: "application/json" },
    { what: "no Content-Type", body: new Uint8Array([1, 2, 3]), type: undefined },
    { what: "an empty body", body: new Uint8Array(0), type: "image/png" },
  ])("puts $what and its content type into the body field, path and query beside it", async (c) => {
    const user = `up-${c.what.replace(/\W+/g, "-")}`;
    const headers: Record<string, string> = c.type ? { "content-type": c.type } : {};
    const r = await call(`${s.base}/v1/users/${user}/avatar?caption=Hi%20there`, { method: "PUT", headers, body: c.body });
    expect(r.status).toBe(200);
    const received = r.json as { userId: string; caption: string; file: { contentType: string; data: string } };
    expect(received).toMatchObject({ userId: user, caption: "Hi there", file: { contentType: c.type ?? "" } });
    expect(Buffer.from(received.file.data, "base64").toString("hex")).toBe(hex(c.body));
    // And back out unchanged, as the service stored it.
    const back = await raw(`/v1/users/${user}/avatar`);
    expect(back.headers.get("content-type")).toBe(c.type ?? OCTETS);
    expect(hex(back.bytes)).toBe(hex(c.body));
  });

  it("rejects a query parameter that points into the HttpBody field", async () => {
    const r = await call(`${s.base}/v1/users/q/avatar?file.content_type=text/html`, { method: "PUT", body: "x" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 3, message: expect.stringContaining("bound by the request body") });
  });

  it("takes the whole request as HttpBody with body: \"*\"", async () => {
    const r = await raw("/v1/raw:echo", { method: "POST", headers: { "content-type": "application/pdf" }, body: PNG_BYTES });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/pdf");
    expect(hex(r.bytes)).toBe(hex(PNG_BYTES));
  });

  it("takes no query parameters with body: \"*\", as for JSON bodies", async () => {
    const r = await call(`${s.base}/v1/raw:echo?data=eA`, { method: "POST", body: "x" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 3, message: expect.stringContaining("unknown query parameter") });
  });
});

describe("HttpBody streams", () => {
  it.each([
    { what: "one byte per message", query: "chunk_size=1" },
    { what: "three bytes per message", query: "chunk_size=3" },
    { what: "one message", query: "chunk_size=0" },
    { what: "an empty first message", query: "chunk_size=5&empty_first=true" },
    { what: "Accept: text/event-stream", query: "chunk_size=4", accept: "text/event-stream" },
  ])("sends each message's data as it is, in the first message's content type ($what)", async (c) => {
    const r = await raw(`/v1/users/ada/avatar:chunks?${c.query}`, { headers: c.accept ? { accept: c.accept } : {} });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("image/png");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(r.headers.get("etag")).toBeNull();
    expect(hex(r.bytes)).toBe(hex(PNG_BYTES));
  });

  it("sends an empty application/octet-stream body for a stream without messages", async () => {
    const r = await raw("/v1/users/empty/avatar:chunks");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe(OCTETS);
    expect(r.bytes).toHaveLength(0);
  });

  it("answers HEAD with the first message's content type, no body, and cancels the stream", async () => {
    const before = downloadsCancelled.count;
    const r = await raw("/v1/users/ada/avatar:chunks?chunk_size=1&interval_ms=50", { method: "HEAD" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("image/png");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.bytes).toHaveLength(0);
    await expect.poll(() => downloadsCancelled.count, { timeout: 3_000 }).toBe(before + 1);
  });

  it("cancels the stream when the client goes away", async () => {
    const before = downloadsCancelled.count;
    const res = await fetch(`${s.base}/v1/users/ada/avatar:chunks?chunk_size=1&interval_ms=200`);
    const reader = res.body!.getReader();
    expect((await reader.read()).value).toEqual(PNG_BYTES.subarray(0, 1));
    await reader.cancel();
    await expect.poll(() => downloadsCancelled.count, { timeout: 3_000 }).toBe(before + 1);
  });

  it("aborts the transfer when the stream fails after its first bytes", async () => {
    const res = await fetch(`${s.base}/v1/users/ada/avatar:chunks?chunk_size=3&fail_code=13&fail_after=2`);
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });
});

describe("HTTP caching of HttpBody GETs", () => {
  it("tags the bytes with a strong ETag and answers If-None-Match with 304", async () => {
    const first = await raw("/v1/users/ada/avatar");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect((await raw("/v1/users/bare/avatar")).headers.get("etag")).not.toBe(etag);
    const again = await raw("/v1/users/ada/avatar", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.bytes).toHaveLength(0);
  });

  it("answers HEAD with the GET's headers and no body", async () => {
    const get = await raw("/v1/users/ada/avatar");
    const head = await raw("/v1/users/ada/avatar", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
    expect(head.headers.get("content-type")).toBe("image/png");
    expect(head.bytes).toHaveLength(0);
  });

  it("changes the ETag when the bytes change", async () => {
    const put = (body: Uint8Array) => raw("/v1/users/etag-user/avatar", { method: "PUT", headers: { "content-type": "image/png" }, body });
    await put(PNG_BYTES);
    const before = await raw("/v1/users/etag-user/avatar");
    await put(PNG_BYTES.slice(1));
    const after = await raw("/v1/users/etag-user/avatar", { headers: { "if-none-match": before.headers.get("etag")! } });
    expect(after.status).toBe(200);
    expect(hex(after.bytes)).toBe(hex(PNG_BYTES.slice(1)));
  });

  it("serves an HttpBody from the shared response cache with its own content type and bytes", async () => {
    const put = (type: string, body: Uint8Array) => raw("/v1/users/cached/avatar", { method: "PUT", headers: { "content-type": type }, body });
    await put("image/png", PNG_BYTES);
    const first = await raw("/v1/users/cached/thumbnail");
    // A change the cache cannot see: within its TTL the stored response is still served.
    await put("image/gif", new Uint8Array([1]));
    const cached = await raw("/v1/users/cached/thumbnail");
    expect(cached.headers.get("content-type")).toBe("image/png");
    expect(cached.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(hex(cached.bytes)).toBe(hex(PNG_BYTES));
  });
});
