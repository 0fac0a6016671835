import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack, streamMessagesReceived, streamsCancelled } from "./fixture.js";
import { exchange, ndjson } from "./http-exchange.js";

// Bidi streaming over REST: the request side as a client stream (JSON values from the body,
// sent on as they arrive), the response side as a server stream (newline-delimited JSON, or
// SSE on request). EchoItems echoes each message as it comes.

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  call(s.base + path, { method: "POST", headers: { "content-type": "application/x-ndjson", ...headers }, body });

describe("a bidi stream", () => {
  it.each([
    {
      what: "each message with the path and query fields, into `body: item`",
      path: "/v1/shelves/s1/items:echo?revision=5",
      body: '{"id":"a"}\n{"id":"b"}\n{"id":"c"}\n',
      results: ["a", "b", "c"].map((id) => expect.objectContaining({ item: expect.objectContaining({ id }), parent: "shelves/s1", revision: "5" })),
    },
    {
      what: "the response_body field of each message, from `body: *`",
      path: "/v1/items:echo",
      body: '{"item":{"id":"a","name":"A"}}{"item":{"id":"b"}}',
      results: [expect.objectContaining({ id: "a", name: "A" }), expect.objectContaining({ id: "b" })],
    },
    { what: "nothing for an empty body", path: "/v1/shelves/s1/items:echo", body: "", results: [] },
  ])("streams back $what", async (c) => {
    const r = await post(c.path, c.body);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/x-ndjson");
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(ndjson(r.text)).toEqual(c.results.map((result) => ({ result })));
  });

  it("frames the answers as Server-Sent Events when the client accepts them", async () => {
    const r = await post("/v1/items:echo", '{"item":{"id":"a"}}\n{"item":{"id":"b"}}\n', { accept: "text/event-stream" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = r.text.split("\n\n").filter(Boolean);
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[0].replace(/^data: /, ""))).toMatchObject({ id: "a" });
    expect(JSON.parse(events[1].replace(/^data: /, ""))).toMatchObject({ id: "b" });
    expect(events[2]).toBe("event: end\ndata: {}");
  });

  it.each([
    {
      what: "a service failure after some answers ends the stream with an {error} line",
      body: '{"item":{"id":"a"}}\n{"failCode":10}\n{"item":{"id":"c"}}\n',
      status: 200,
      lines: [{ result: expect.objectContaining({ id: "a" }) }, { error: { code: 10, message: "echo failed", details: [] } }],
    },
    {
      what: "a service failure before any answer takes the error's status",
      body: '{"failCode":10}\n',
      status: 409,
      lines: [{ error: { code: 10, message: "echo failed", details: [] } }],
    },
  ])("$what", async (c) => {
    const r = await post("/v1/items:echo", c.body);
    expect(r.status, r.text).toBe(c.status);
    expect(ndjson(r.text)).toEqual(c.lines);
  });

  it.each([
    { what: "a value that is not JSON", bad: '{"item":}', message: "request message 2: not valid JSON" },
    { what: "an unknown field", bad: '{"nope":1}', message: expect.stringMatching(/^request message 2: .*nope/) },
  ])("answers $what before any answer with INVALID_ARGUMENT and status 400", async (c) => {
    const x = exchange(`${s.base}/v1/items:echo`);
    const received = streamMessagesReceived.count;
    // The service holds its answer to the first message while the second turns out bad.
    x.write('{"item":{"id":"a"},"delayMs":5000}\n');
    await expect.poll(() => streamMessagesReceived.count, { timeout: 3_000 }).toBe(received + 1);
    x.write(`${c.bad}\n`);
    expect((await x.head()).status).toBe(400);
    expect(ndjson(await x.done())).toEqual([{ error: { code: 3, message: c.message, details: [] } }]);
  });

  it("answers each message while the body is still open (full duplex)", async () => {
    const x = exchange(`${s.base}/v1/shelves/s1/items:echo`);
    x.write('{"id":"one"}\n');
    expect((await x.head()).status).toBe(200);
    await x.until((t) => ndjson(t).length === 1);
    x.write('{"id":"two"}\n');
    await x.until((t) => ndjson(t).length === 2);
    x.end();
    const lines = ndjson(await x.done());
    expect(lines.map((l) => (l.result as { item: { id: string } }).item.id)).toEqual(["one", "two"]);
  });

  it("ends with an INVALID_ARGUMENT {error} line for a bad message after answers", async () => {
    const x = exchange(`${s.base}/v1/shelves/s1/items:echo`);
    x.write('{"id":"one"}\n');
    await x.until((t) => ndjson(t).length === 1);
    x.write("{not json}\n");
    const lines = ndjson(await x.done());
    const head = await x.head();
    expect(head.status).toBe(200);
    // The rest of the body would hold an HTTP/1.1 connection: it is closed after the answer.
    expect(head.headers.connection).toBe("close");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({ error: { code: 3, message: "request message 2: not valid JSON", details: [] } });
  });

  it("cancels the upstream call when the client goes away", async () => {
    const cancelled = streamsCancelled.count;
    const x = exchange(`${s.base}/v1/items:echo`);
    x.write('{"item":{"id":"one"}}\n{"item":{"id":"two"},"delayMs":5000}\n');
    await x.until((t) => ndjson(t).length === 1);
    x.destroy();
    await expect.poll(() => streamsCancelled.count, { timeout: 3_000 }).toBe(cancelled + 1);
  });

  it.each(["GET", "HEAD"])("answers %s with 405", async (method) => {
    const r = await call(`${s.base}/v1/items:echo`, { method });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
  });
});
