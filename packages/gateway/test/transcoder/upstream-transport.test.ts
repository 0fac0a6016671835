import { createServer } from "node:net";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { rejectionOf } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUpstreamTransport } from "../../src/transcoder/index.js";
import { TranscodingService } from "../gen/transcoding/v1/service_pb.js";
import { type Stack, startStack } from "./fixture.js";

// The slim unary client against the real chassis (Connect, gRPC and gRPC-Web on one port), over
// both protocols: what a caller sees must not depend on which one carried the call.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const closedPort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });

const failure = (p: Promise<unknown>) => rejectionOf(p, ConnectError);

describe.each(["grpc", "connect"] as const)("createUpstreamTransport (%s)", (protocol) => {
  let client: Client<typeof TranscodingService>;
  beforeAll(() => {
    client = createClient(TranscodingService, createUpstreamTransport({ baseUrl: stack.backend, protocol }));
  });

  it("returns the response message and the backend's response headers", async () => {
    const headers: string[] = [];
    const item = await client.getItem(
      { id: "a1", size: 7n, flag: true },
      { onHeader: (h) => headers.push(h.get("content-type") ?? "") },
    );
    expect(item).toMatchObject({ id: "a1", size: 7n, flag: true });
    expect(headers).toEqual([protocol === "grpc" ? "application/grpc+proto" : "application/proto"]);
  });

  it("sends call metadata to the backend", async () => {
    const res = await client.fail(
      {},
      { headers: [["authorization", "Bearer t"], ["traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"], ["x-request-id", "req-0001"], ["accept-language", "de"]] },
    );
    expect(res.headers).toEqual({
      authorization: "Bearer t",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "x-request-id": "req-0001",
      "accept-language": "de",
    });
  });

  it("throws the backend's error with code, message, details and metadata", async () => {
    const err = await failure(
      client.fail({ code: Code.FailedPrecondition, message: "nope: ünïcode %20", badRequest: true, errorInfo: true, unknownDetail: true, responseRequestId: "backend-req-0001" }),
    );
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(err.rawMessage).toBe("nope: ünïcode %20");
    expect(err.findDetails(BadRequestSchema)[0]?.fieldViolations[0]).toMatchObject({ field: "name", description: "must not be empty" });
    expect(err.findDetails(ErrorInfoSchema)[0]).toMatchObject({ reason: "OUT_OF_STOCK", metadata: { sku: "42" } });
    expect(err.details.some((d) => "type" in d && d.type === "example.v1.Secret")).toBe(true);
    expect(err.metadata.get("x-request-id")).toBe("backend-req-0001");
  });

  it.each([Code.Canceled, Code.Unknown, Code.InvalidArgument, Code.NotFound, Code.PermissionDenied, Code.Unavailable, Code.Unauthenticated, Code.Internal])(
    "keeps error code %s",
    async (code) => {
      const err = await failure(client.fail({ code, message: `m${code}` }));
      expect([err.code, err.rawMessage]).toEqual([code, `m${code}`]);
    },
  );

  it("fails with DEADLINE_EXCEEDED when the backend outlives the deadline", async () => {
    const err = await failure(client.fail({ delayMs: 5000 }, { timeoutMs: 100 }));
    expect(err.code).toBe(Code.DeadlineExceeded);
  });

  it("fails with CANCELED when the caller aborts", async () => {
    const abort = new AbortController();
    const call = client.fail({ delayMs: 5000 }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    expect((await failure(call)).code).toBe(Code.Canceled);
  });

  it("carries large messages both ways", async () => {
    const name = "x".repeat(3 * 1024 * 1024);
    const item = await client.getItem({ id: "big", name });
    expect(item.name.length).toBe(name.length);
  });

  it("refuses a response larger than readMaxBytes", async () => {
    const small = createClient(TranscodingService, createUpstreamTransport({ baseUrl: stack.backend, protocol, readMaxBytes: 1024 }));
    const err = await failure(small.getItem({ id: "big", name: "x".repeat(4096) }));
    expect(err.code).toBe(Code.ResourceExhausted);
  });

  it("runs many concurrent calls on the connection", async () => {
    const items = await Promise.all(Array.from({ length: 200 }, (_, i) => client.getItem({ id: String(i) })));
    expect(items.map((i) => i.id)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  });

  it("serves server streams, including one that fails midway", async () => {
    const ids: string[] = [];
    const err = await failure(
      (async () => {
        for await (const item of client.watchItems({ count: 2, failCode: Code.Aborted })) ids.push(item.id);
      })(),
    );
    expect(ids).toEqual(["0", "1"]);
    expect([err.code, err.rawMessage]).toEqual([Code.Aborted, "stream broke"]);
  });

  it("fails fast with UNAVAILABLE, keeping the network error as cause, when the backend is down", async () => {
    const down = createClient(TranscodingService, createUpstreamTransport({ baseUrl: `http://127.0.0.1:${await closedPort()}`, protocol }));
    // Not DEADLINE_EXCEEDED: a refused connection fails the call at once.
    const err = await failure(down.getItem({ id: "x" }, { timeoutMs: 60_000 }));
    expect(err.code).toBe(Code.Unavailable);
    expect(err.cause).toBeInstanceOf(Error);
    expect(err.cause).not.toBeInstanceOf(ConnectError);
  });
});
