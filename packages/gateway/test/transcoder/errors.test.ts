import { createServer } from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpStatusOf } from "../../src/transcoder/index.js";
import { call, type Stack, startStack } from "./fixture.js";

// Errors are google.rpc.Status in JSON, as grpc-gateway writes them, with its status table.

let s: Stack;
beforeAll(async () => {
  s = await startStack({ timeoutMs: 300 });
});
afterAll(async () => {
  await s?.close();
});

// grpc-gateway's runtime.HTTPStatusFromCode.
const TABLE: [Code, number][] = [
  [Code.Canceled, 499],
  [Code.Unknown, 500],
  [Code.InvalidArgument, 400],
  [Code.DeadlineExceeded, 504],
  [Code.NotFound, 404],
  [Code.AlreadyExists, 409],
  [Code.PermissionDenied, 403],
  [Code.ResourceExhausted, 429],
  [Code.FailedPrecondition, 400],
  [Code.Aborted, 409],
  [Code.OutOfRange, 400],
  [Code.Unimplemented, 501],
  [Code.Internal, 500],
  [Code.Unavailable, 503],
  [Code.DataLoss, 500],
  [Code.Unauthenticated, 401],
];

describe("status table", () => {
  it("maps OK to 200", () => {
    expect(httpStatusOf(0 as Code)).toBe(200);
  });

  it.each(TABLE)("a backend error %s is HTTP %i with a google.rpc.Status body", async (code, status) => {
    const r = await call(`${s.base}/v1/fail`, { method: "POST", body: JSON.stringify({ code, message: `failed with ${Code[code]}` }) });
    expect(httpStatusOf(code)).toBe(status);
    expect(r.status).toBe(status);
    expect(r.headers.get("content-type")).toBe("application/json");
    // A server fault's own text describes the server: clients get a generic message (errors.ts).
    const generic: Partial<Record<Code, string>> = {
      [Code.Unknown]: "internal error",
      [Code.DeadlineExceeded]: "the transcoding service did not answer in time",
      [Code.Internal]: "internal error",
      [Code.Unavailable]: "the transcoding service is unavailable; retry shortly",
      [Code.DataLoss]: "internal error",
    };
    expect(r.json).toEqual({ code, message: generic[code] ?? `failed with ${Code[code]}`, details: [] });
  });
});

describe("error details", () => {
  it("prints known details as Any in JSON form and unknown ones as bytes", async () => {
    const r = await call(`${s.base}/v1/fail?code=9&message=nope&bad_request=true&error_info=true&unknown_detail=true`);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 9,
      message: "nope",
      details: [
        { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "name", description: "must not be empty" }] },
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "OUT_OF_STOCK", domain: "example.com", metadata: { sku: "42" } },
        { "@type": "type.googleapis.com/example.v1.Secret", value: "AQID" },
      ],
    });
  });

  it("prints protovalidate's buf.validate.Violations from the chassis' validation", async () => {
    const r = await call(`${s.base}/v1/shelves/s1/items`, { method: "POST", body: '{"quantity":-1}' });
    expect(r.status).toBe(400);
    const body = r.json as { code: number; details: { "@type": string }[] };
    expect(body.code).toBe(3);
    expect(body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          "@type": "type.googleapis.com/buf.validate.Violations",
          violations: [expect.objectContaining({ ruleId: "int32.gte", field: { elements: [expect.objectContaining({ fieldName: "quantity" })] } })],
        }),
        { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "quantity", description: "must be greater than or equal to 0" }] },
      ]),
    );
  });
});

describe("failures of the call itself", () => {
  it("answers DEADLINE_EXCEEDED (504) when the backend outlives the deadline", async () => {
    const r = await call(`${s.base}/v1/fail?delay_ms=5000`);
    expect(r.status).toBe(504);
    expect(r.json).toMatchObject({ code: 4 });
  });

  it("answers 503 without internals when the backend is down", async () => {
    const port = await closedPort();
    const down = await startStack({ transport: createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }) });
    try {
      const r = await call(`${down.base}/v1/items/x`);
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ code: 14, message: "the transcoding service is unavailable; retry shortly", details: [] });
      expect(r.text).not.toContain("127.0.0.1");
    } finally {
      await down.close();
    }
  });

  it.each([
    { what: "GET", method: "GET", path: "/v1/fail?failures=1&key=get-1", status: 200, attempts: 2 },
    { what: "POST declared IDEMPOTENT", method: "POST", path: "/v1/fail:idempotent", body: { failures: 1, key: "idem-1" }, status: 200, attempts: 2 },
    { what: "GET failing more often than the retries", method: "GET", path: "/v1/fail?failures=2&key=get-2", status: 503, attempts: 2 },
    { what: "POST (not idempotent)", method: "POST", path: "/v1/fail", body: { failures: 1, key: "post-1" }, status: 503, attempts: 1 },
  ])("retries UNAVAILABLE once for idempotent methods only: $what", async (c) => {
    const r = await call(s.base + c.path, { method: c.method, body: c.body ? JSON.stringify(c.body) : undefined });
    expect(r.status).toBe(c.status);
    // Ask the service how many attempts it saw for the key.
    const key = c.body?.key ?? new URLSearchParams(c.path.split("?")[1]).get("key");
    const seen = await call(`${s.base}/v1/fail?key=${key}`);
    expect((seen.json as { attempts: number }).attempts - 1).toBe(c.attempts);
  });

  it("gives a retry only what is left of the request's deadline, never a fresh one", async () => {
    // The first attempt spends 200 of the 300 ms and is UNAVAILABLE; the second would need 200 more.
    const r = await call(`${s.base}/v1/fail?failures=1&delay_ms=200&key=late-1`);
    expect(r.status).toBe(504);
  });

  it("does not retry when retries is 0", async () => {
    const none = await startStack({ retries: 0 });
    try {
      const r = await call(`${none.base}/v1/fail?failures=1&key=k`);
      expect(r.status).toBe(503);
    } finally {
      await none.close();
    }
  });
});

describe("server faults and transport text from a backend", () => {
  it.each([
    { what: "an HTTP/2 reset it passed on", code: 13, message: "http/2 stream closed with error code 0x6", status: 500, shown: "internal error" },
    { what: "a refused connection it passed on", code: 14, message: "connect ECONNREFUSED 10.0.3.7:7001", status: 503, shown: "the transcoding service is unavailable; retry shortly" },
    { what: "its own UNAVAILABLE", code: 14, message: "pool of db-7.internal exhausted", status: 503, shown: "the transcoding service is unavailable; retry shortly" },
    { what: "a deadline", code: 4, message: "deadline of auth.internal:7101 exceeded", status: 504, shown: "the transcoding service did not answer in time" },
    { what: "a reset under a client error's code", code: 8, message: "http/2 stream closed with error code 0xb", status: 429, shown: "the service is overloaded; retry later" },
    { what: "a client error's own message (kept)", code: 9, message: "the shelf is full", status: 400, shown: "the shelf is full" },
  ])("shows a generic message for $what", async (c) => {
    const r = await call(`${s.base}/v1/fail`, { method: "POST", body: JSON.stringify({ code: c.code, message: c.message }) });
    expect(r.status).toBe(c.status);
    expect(r.json).toEqual({ code: c.code, message: c.shown, details: [] });
  });

  it("keeps the details of a server fault", async () => {
    const r = await call(`${s.base}/v1/fail`, { method: "POST", body: JSON.stringify({ code: 14, message: "ECONNRESET", errorInfo: true }) });
    expect(r.json).toMatchObject({ code: 14, details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "OUT_OF_STOCK" }] });
  });
});

describe("beforeCall", () => {
  it("turns a thrown ConnectError into the response, before the request is parsed", async () => {
    const guarded = await startStack({
      beforeCall: ({ headers }) => {
        if (headers.get("authorization") !== "Bearer ok") throw new ConnectError("missing or invalid token", Code.Unauthenticated);
      },
    });
    try {
      // Even a malformed request gets 401 first: callers learn nothing about its shape.
      const denied = await call(`${guarded.base}/v1/items/x?bogus=1`);
      expect(denied.status).toBe(401);
      expect(denied.json).toEqual({ code: 16, message: "missing or invalid token", details: [] });
      const allowed = await call(`${guarded.base}/v1/items/x`, { headers: { authorization: "Bearer ok" } });
      expect(allowed.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it("hides anything else thrown as INTERNAL without a stack trace", async () => {
    const buggy = await startStack({
      beforeCall: () => {
        throw new TypeError("secret detail at /srv/app/edge.ts:12");
      },
    });
    try {
      const r = await call(`${buggy.base}/v1/items/x`);
      expect(r.status).toBe(500);
      expect(r.json).toEqual({ code: 13, message: "internal error", details: [] });
      expect(r.text).not.toContain("secret");
    } finally {
      await buggy.close();
    }
  });
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
