import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack } from "./fixture.js";

// Proto3 JSON out, response_body, and which headers cross the gateway in each direction.

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

describe("response body", () => {
  it("writes proto3 JSON: camelCase, int64 as strings, enums by name, zero values emitted", async () => {
    const r = await call(`${s.base}/v1/items/r1?size=5&kind=1&display_name=D&at=2026-01-01T00:00:00Z`);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.json).toEqual({
      id: "r1",
      name: "",
      path: "",
      size: "5",
      big: "0",
      count: 0,
      flag: false,
      kind: "KIND_BOOK",
      tags: [],
      kinds: [],
      at: "2026-01-01T00:00:00Z",
      ratio: 0,
      blob: "",
      labels: {},
      displayName: "D",
      sizes: [],
      quantity: 0,
    });
  });

  it("sends only the response_body field when the rule names one", async () => {
    const r = await call(`${s.base}/v1/items/rb`, { method: "PUT", body: '{"name":"n"}' });
    expect(r.json).toMatchObject({ id: "rb", name: "n" });
    expect(r.json).not.toHaveProperty("item");
    expect(r.json).not.toHaveProperty("updateMask");
  });

  it("sends the whole response without response_body", async () => {
    const r = await call(`${s.base}/v1/items/wb`, { method: "PATCH", body: '{"name":"n"}' });
    expect(r.json).toMatchObject({ item: { id: "wb", name: "n" }, parent: "", revision: "0" });
  });

  it("writes google.protobuf.Empty as {}", async () => {
    const r = await call(`${s.base}/v1/items/gone`, { method: "DELETE" });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
  });
});

describe("headers", () => {
  it.each([
    { header: "authorization", value: "Bearer abc" },
    { header: "traceparent", value: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    { header: "tracestate", value: "vendor=x" },
    { header: "x-request-id", value: "req-12345678" },
    { header: "accept-language", value: "pt-BR" },
  ])("forwards $header as request metadata", async (c) => {
    const r = await call(`${s.base}/v1/fail`, { headers: { [c.header]: c.value } });
    expect((r.json as { headers: Record<string, string> }).headers[c.header]).toBe(c.value);
  });

  it.each(["cookie", "x-custom"])("does not forward %s by default", async (header) => {
    const r = await call(`${s.base}/v1/fail`, { headers: { [header]: "v" } });
    expect((r.json as { headers: Record<string, string> }).headers).not.toHaveProperty(header);
  });

  it("forwards exactly the configured headers when forwardHeaders is given", async () => {
    const custom = await startStack({ forwardHeaders: ["X-Custom"] });
    try {
      const r = await call(`${custom.base}/v1/fail`, { headers: { "x-custom": "yes", authorization: "Bearer abc" } });
      const headers = (r.json as { headers: Record<string, string> }).headers;
      expect(headers["x-custom"]).toBe("yes");
      expect(headers).not.toHaveProperty("authorization");
    } finally {
      await custom.close();
    }
  });

  it("copies the backend's request id back, and no other response metadata", async () => {
    const r = await call(`${s.base}/v1/fail?response_request_id=backend-id-1`);
    expect(r.headers.get("x-request-id")).toBe("backend-id-1");
    expect(r.headers.get("x-internal-secret")).toBeNull();
    for (const name of r.headers.keys()) expect(name.startsWith("grpc-")).toBe(false);
  });

  it("copies the response metadata a route names, on success and on errors", async () => {
    const named = await startStack({ responseHeaders: (route) => (route.method.name === "Fail" ? ["X-Internal-Secret"] : []) });
    try {
      const ok = await call(`${named.base}/v1/fail?response_request_id=backend-id-3`);
      expect(ok.headers.get("x-internal-secret")).toBe("backend-only");
      const failed = await call(`${named.base}/v1/fail?code=9&response_request_id=backend-id-4`);
      expect(failed.status).toBe(400);
      expect(failed.headers.get("x-internal-secret")).toBe("backend-only");
    } finally {
      await named.close();
    }
  });

  it("copies the backend's request id on errors too", async () => {
    const r = await call(`${s.base}/v1/fail?code=5&response_request_id=backend-id-2`);
    expect(r.status).toBe(404);
    expect(r.headers.get("x-request-id")).toBe("backend-id-2");
  });
});
