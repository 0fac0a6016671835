import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack, streamsCancelled } from "./fixture.js";

// Server streaming: newline-delimited JSON in grpc-gateway's shape, or SSE on request.

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

const lines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("newline-delimited JSON", () => {
  it.each([
    { count: 0, results: 0 },
    { count: 1, results: 1 },
    { count: 3, results: 3 },
  ])("sends one {result} line per message ($count)", async (c) => {
    const r = await call(`${s.base}/v1/items:watch?count=${c.count}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/x-ndjson");
    expect(r.headers.get("etag")).toBeNull();
    const out = lines(r.text);
    expect(out).toHaveLength(c.results);
    out.forEach((line, i) => {
      expect(line).toEqual({ result: expect.objectContaining({ id: String(i), size: String(i) }) });
    });
  });

  it("ends with an {error} line when the stream fails after messages", async () => {
    const r = await call(`${s.base}/v1/items:watch?count=2&fail_code=10`);
    expect(r.status).toBe(200);
    const out = lines(r.text);
    expect(out).toHaveLength(3);
    expect(out[2]).toEqual({ error: { code: 10, message: "stream broke", details: [] } });
  });

  it("uses the error's status when the stream fails before its first message", async () => {
    const r = await call(`${s.base}/v1/items:watch?count=0&fail_code=7`);
    expect(r.status).toBe(403);
    expect(lines(r.text)).toEqual([{ error: { code: 7, message: "stream broke", details: [] } }]);
  });

  it("rejects bad parameters before calling", async () => {
    const r = await call(`${s.base}/v1/items:watch?count=x`);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 3 });
  });

  it("delivers messages as they come, not at the end", async () => {
    const res = await fetch(`${s.base}/v1/items:watch?count=2&interval_ms=1500`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    // The second message is sent 1.5 s after the first: a first chunk holding exactly one
    // result shows the first was delivered on its own, not buffered until the end.
    expect(new TextDecoder().decode(first.value).match(/"result"/g)).toHaveLength(1);
    await reader.cancel();
  });

  it("cancels the upstream stream when the client goes away", async () => {
    const before = streamsCancelled.count;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${s.base}/v1/items:watch?count=100&interval_ms=50`, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => {});
      req.on("close", resolve);
      req.end();
      setTimeout(() => reject(new Error("no data")), 5_000);
    });
    await expect.poll(() => streamsCancelled.count, { timeout: 3_000 }).toBe(before + 1);
  });
});

describe("Server-Sent Events", () => {
  it("frames messages as events when the client accepts text/event-stream", async () => {
    const r = await call(`${s.base}/v1/items:watch?count=2`, { headers: { accept: "text/event-stream" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = r.text.split("\n\n").filter(Boolean);
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[0].replace(/^data: /, ""))).toMatchObject({ id: "0" });
    expect(JSON.parse(events[1].replace(/^data: /, ""))).toMatchObject({ id: "1" });
    expect(events[2]).toBe("event: end\ndata: {}");
  });

  it("sends a failure as an error event with the Status", async () => {
    const r = await call(`${s.base}/v1/items:watch?count=1&fail_code=14`, { headers: { accept: "text/html, text/event-stream;q=0.9" } });
    const events = r.text.split("\n\n").filter(Boolean);
    expect(events).toHaveLength(2);
    expect(events[1]).toBe(`event: error\ndata: ${JSON.stringify({ code: 14, message: "the transcoding service is unavailable; retry shortly", details: [] })}`);
  });
});
