import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack, streamMessagesReceived, streamsCancelled } from "./fixture.js";
import { exchange } from "./http-exchange.js";
import { PNG_BYTES } from "./media-service.js";

// Client streaming over REST, as grpc-gateway does it: the body is a sequence of JSON values,
// each one request message, sent upstream as it arrives; the answer is one JSON response.
// UploadItems answers with every message it received.

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

const post = (path: string, body: string | Uint8Array, method = "POST") =>
  call(s.base + path, { method, headers: { "content-type": "application/x-ndjson" }, body });

describe("a client stream", () => {
  it.each([
    {
      what: "newline-delimited values into `body: item`, path and query in each",
      path: "/v1/shelves/s1/items:upload?revision=7",
      body: '{"id":"a"}\n{"id":"b","name":"B"}\n',
      received: [
        { item: { id: "a" }, parent: "shelves/s1", revision: "7" },
        { item: { id: "b", name: "B" }, parent: "shelves/s1", revision: "7" },
      ],
    },
    {
      what: "concatenated values into `body: *`",
      path: "/v1/items:upload",
      body: '{"item":{"id":"a"},"revision":"3"}{"item":{"id":"b"}} {"parent":"p"}',
      received: [{ item: { id: "a" }, revision: "3" }, { item: { id: "b" } }, { parent: "p" }],
    },
    { what: "an empty body as no messages", path: "/v1/shelves/s1/items:upload", body: "", received: [] },
    { what: "a body of whitespace as no messages", path: "/v1/items:upload", body: "\n \r\n", received: [] },
    {
      what: "a JSON value other than an object into `body: item`'s field type",
      path: "/v1/shelves/s2/items:upload",
      body: '{"tags":["x","y"],"size":"9007199254740993"}\n',
      received: [{ item: { tags: ["x", "y"], size: "9007199254740993" }, parent: "shelves/s2" }],
    },
  ])("binds $what", async (c) => {
    const r = await post(c.path, c.body);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.json).toMatchObject({ count: c.received.length, received: c.received });
  });

  it("answers with the response_body field when the rule names one", async () => {
    const r = await post("/v1/items:uploadCount", "{}\n{}\n{}\n");
    expect(r.status).toBe(200);
    expect(r.json).toBe(3);
  });

  it("limits each message, not the stream, to the body limit", async () => {
    // Over Fastify's default bodyLimit of 1 MiB in all; each message far below it.
    const line = `${JSON.stringify({ item: { name: "x".repeat(1100) } })}\n`;
    const r = await post("/v1/items:uploadCount", line.repeat(1000));
    expect(r.status, r.text).toBe(200);
    expect(r.json).toBe(1000);
  });

  it.each([
    { what: "a value that is not JSON", path: "/v1/items:upload", body: '{"item":{}}\n{"item":}\n{}', message: "request message 2: not valid JSON" },
    { what: "an unknown field", path: "/v1/shelves/s1/items:upload", body: '{"id":"a"}\n{"nope":1}\n', message: /^request message 2: .*nope/ },
    { what: "a value that is no object for `body: *`", path: "/v1/items:upload", body: "[1]", message: "request message 1: request body must be a JSON object" },
    { what: "a value with a comma before it", path: "/v1/items:upload", body: "{},{}", message: 'request message 2: unexpected "," between messages' },
    { what: "a body that ends inside a value", path: "/v1/items:upload", body: '{"item":', message: "request message 1: the body ended inside it" },
    { what: "a message past the body limit", path: "/v1/items:upload", body: `{"parent":"${"x".repeat(1 << 20)}"}`, message: "request message 1: larger than 1048576 bytes" },
    { what: "an unknown query parameter, before any message", path: "/v1/shelves/s1/items:upload?bogus=1", body: "", message: "bogus: unknown query parameter" },
    { what: "a query parameter into the body field", path: "/v1/shelves/s1/items:upload?item.id=x", body: "{}", message: "item.id: bound by the request body, not the query" },
    { what: "a query parameter with `body: *`", path: "/v1/items:upload?revision=1", body: "{}", message: /takes its fields from the body/ },
  ])("answers $what with INVALID_ARGUMENT (400)", async (c) => {
    const r = await post(c.path, c.body);
    expect(r.status, r.text).toBe(400);
    expect(r.json).toMatchObject({ code: 3, message: c.message });
  });

  it("answers a failure of the service after some messages with its status", async () => {
    const r = await post("/v1/items:upload", '{"item":{"id":"a"}}\n{"failCode":10}\n{"item":{"id":"c"}}\n');
    expect(r.status).toBe(409);
    expect(r.json).toEqual({ code: 10, message: "upload failed at message 2", details: [] });
  });

  it.each(["GET", "HEAD", "PUT"])("answers %s with 405 and Allow: POST", async (method) => {
    const r = await call(`${s.base}/v1/items:upload`, { method });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
  });

  it("sends each message upstream as it arrives, before the body ends", async () => {
    const x = exchange(`${s.base}/v1/shelves/s1/items:upload`);
    const before = streamMessagesReceived.count;
    x.write('{"id":"first"}\n');
    await expect.poll(() => streamMessagesReceived.count, { timeout: 3_000 }).toBe(before + 1);
    x.write('{"id":"second"}');
    x.end();
    const head = await x.head();
    expect(head.status).toBe(200);
    // The whole body had come before the answer: the connection can serve the next request.
    expect(head.headers.connection).toBe("keep-alive");
    expect(JSON.parse(await x.done())).toMatchObject({ count: 2, received: [{ item: { id: "first" } }, { item: { id: "second" } }] });
  });

  it("cancels the upstream call when the client goes away mid-body", async () => {
    const x = exchange(`${s.base}/v1/items:upload`);
    const received = streamMessagesReceived.count;
    const cancelled = streamsCancelled.count;
    // The service then waits, so it is at work when the cancellation comes.
    x.write('{"item":{"id":"first"},"delayMs":5000}\n');
    await expect.poll(() => streamMessagesReceived.count, { timeout: 3_000 }).toBe(received + 1);
    x.destroy();
    await expect.poll(() => streamsCancelled.count, { timeout: 3_000 }).toBe(cancelled + 1);
  });
});

describe("a client stream of google.api.HttpBody", () => {
  it("sends each chunk of the raw body as one message, with the path's fields", async () => {
    const x = exchange(`${s.base}/v1/users/zed/avatar:chunks`, { method: "PUT", headers: { "content-type": "image/png" } });
    x.write(PNG_BYTES.subarray(0, 5));
    // Let the first chunk travel on its own before the rest follows.
    await new Promise((r) => setTimeout(r, 100));
    x.write(PNG_BYTES.subarray(5));
    x.end();
    expect((await x.head()).status).toBe(200);
    const body = JSON.parse(await x.done()) as { userId: string; file: { contentType: string; data: string }; caption: string };
    expect(body.userId).toBe("zed");
    expect(body.file).toEqual({ contentType: "image/png", data: Buffer.from(PNG_BYTES).toString("base64"), extensions: [] });
    expect(Number(body.caption)).toBeGreaterThanOrEqual(2);
    const stored = await fetch(`${s.base}/v1/users/zed/avatar`);
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(PNG_BYTES);
  });

  it("sends no message for an empty body", async () => {
    const r = await post("/v1/users/nobody/avatar:chunks", "", "PUT");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ userId: "", caption: "0" });
  });
});
