import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack } from "./fixture.js";

// Which Content-Types a route's body may have (content-type.ts): JSON everywhere, newline-
// delimited JSON for client and bidi streams, anything for a google.api.HttpBody; the rest is
// 415 with INVALID_ARGUMENT, so browsers' simple cross-site requests cannot post to the API.

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

// A Blob without a type: fetch then sends no Content-Type at all.
const send = (path: string, contentType: string | undefined, body: string) =>
  call(s.base + path, { method: "POST", headers: contentType === undefined ? {} : { "content-type": contentType }, body: new Blob([body]) });

describe("request Content-Types", () => {
  it.each([
    { what: "a JSON route, text/plain", path: "/v1/shelves/s1/items", type: "text/plain;charset=UTF-8" },
    { what: "a JSON route, a form", path: "/v1/shelves/s1/items", type: "application/x-www-form-urlencoded" },
    { what: "a JSON route, no type", path: "/v1/shelves/s1/items", type: undefined },
    { what: "a JSON route, NDJSON", path: "/v1/shelves/s1/items", type: "application/x-ndjson" },
    { what: "a client stream, text/plain", path: "/v1/shelves/s1/items:upload", type: "text/plain" },
    { what: "a bidi stream, multipart", path: "/v1/shelves/s1/items:echo", type: "multipart/form-data; boundary=b" },
  ])("refuses $what with 415 and a Status", async (c) => {
    const r = await send(c.path, c.type, '{"name":"n"}');
    expect(r.status).toBe(415);
    expect(r.json).toEqual({ code: 3, message: expect.stringContaining("application/json"), details: [] });
  });

  it.each([
    { what: "a JSON route, application/json with charset", path: "/v1/shelves/s1/items", type: "application/json; charset=utf-8", body: '{"name":"n"}' },
    { what: "a JSON route, a +json type", path: "/v1/shelves/s1/items", type: "application/vnd.example+json", body: '{"name":"n"}' },
    { what: "a client stream, application/jsonl", path: "/v1/shelves/s1/items:upload", type: "application/jsonl", body: '{"id":"a"}\n' },
    { what: "a client stream, application/json", path: "/v1/shelves/s1/items:upload", type: "application/json", body: '{"id":"a"}' },
    { what: "an HttpBody, any type", path: "/v1/raw:echo", type: "text/plain", body: "hello" },
  ])("takes $what", async (c) => {
    expect((await send(c.path, c.type, c.body)).status).toBe(200);
  });

  it("needs no Content-Type without a body", async () => {
    expect((await call(`${s.base}/v1/items/x:archive`, { method: "POST" })).status).not.toBe(415);
  });
});
