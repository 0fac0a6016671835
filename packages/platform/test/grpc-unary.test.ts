import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues, createMethodImplSpec, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { createAsyncIterable, encodeEnvelope, type UniversalHandlerOptions, type UniversalServerResponse } from "@connectrpc/connect/protocol";
import { createHandlerFactory } from "@connectrpc/connect/protocol-grpc";
import { compressionGzip } from "@connectrpc/connect-node";
import { createValidateInterceptor } from "@connectrpc/validate";
import { AuthService, type SignUpRequest, SignUpRequestSchema, SignUpResponseSchema } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { describe, expect, it } from "vitest";
import { createGrpcHandlerFactory } from "../src/grpc-unary.js";
import { markUnchanging } from "../src/unchanging-responses.js";

// The chassis's unary gRPC handler must answer exactly as connect-node's own: each case runs
// the same request through both and compares status, headers, trailers and body bytes.

const headerAndTrailer: Interceptor = (next) => async (req) => {
  const res = await next(req);
  res.header.set("x-from-interceptor", "yes");
  res.trailer.set("x-trailer", "t");
  return res;
};
const options: Partial<UniversalHandlerOptions> = {
  interceptors: [headerAndTrailer, createValidateInterceptor()],
  acceptCompression: [compressionGzip],
  compressMinBytes: 8,
  readMaxBytes: 1024,
  jsonOptions: { ignoreUnknownFields: false },
};

type Impl = (req: SignUpRequest, ctx: HandlerContext) => Promise<unknown> | unknown;
const welcome: Impl = (req, ctx) => {
  ctx.responseHeader.set("x-handler", "h");
  ctx.responseTrailer.set("x-handler-trailer", req.email);
  return create(SignUpResponseSchema, { user: { email: req.email, displayName: req.displayName } });
};

const valid = toBinary(SignUpRequestSchema, create(SignUpRequestSchema, { email: "ada@example.com", password: "correct horse battery", displayName: "Ada" }));
const envelope = (data: Uint8Array, flags = 0) => encodeEnvelope(flags, data);
const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

interface Case {
  name: string;
  body: Uint8Array[];
  headers?: Record<string, string>;
  method?: string;
  impl?: Impl;
}

const cases: Case[] = [
  { name: "a message in one chunk", body: [envelope(valid)] },
  { name: "a message a byte at a time", body: [...envelope(valid)].map((b) => Uint8Array.of(b)) },
  { name: "JSON codec", body: [envelope(json({ email: "ada@example.com", password: "correct horse battery", display_name: "Ada" }))], headers: { "content-type": "application/grpc+json" } },
  { name: "gzip request and response", body: [envelope(gzipSync(valid), 1)], headers: { "grpc-encoding": "gzip", "grpc-accept-encoding": "gzip" } },
  { name: "compressed flag without an encoding", body: [envelope(gzipSync(valid), 1)] },
  { name: "an encoding the server lacks", body: [envelope(valid)], headers: { "grpc-encoding": "snappy" } },
  { name: "validation failure with field violations", body: [envelope(toBinary(SignUpRequestSchema, create(SignUpRequestSchema, { email: "nope" })))] },
  { name: "bytes that are no message", body: [envelope(Uint8Array.of(0xff, 0xff, 0xff))] },
  { name: "unknown JSON field", body: [envelope(json({ email: "ada@example.com", shoe_size: 44 }))], headers: { "content-type": "application/grpc+json" } },
  { name: "empty body", body: [] },
  { name: "half a header", body: [Uint8Array.of(0, 0, 0)] },
  { name: "a body shorter than its envelope says", body: [envelope(valid).subarray(0, 12)] },
  { name: "two messages", body: [envelope(valid), envelope(valid)] },
  { name: "a message and a torn one", body: [envelope(valid), envelope(valid).subarray(0, 7)] },
  { name: "a message of exactly readMaxBytes", body: [envelope(new Uint8Array(1024))] },
  { name: "a message one byte over readMaxBytes", body: [envelope(new Uint8Array(1025))] },
  { name: "a malformed timeout", body: [envelope(valid)], headers: { "grpc-timeout": "soon" } },
  {
    name: "a deadline that passes in the handler",
    body: [envelope(valid)],
    headers: { "grpc-timeout": "20m" },
    impl: (_req, ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
  },
  {
    name: "a ConnectError with details and metadata",
    body: [envelope(valid)],
    impl: () => {
      throw new ConnectError("taken", Code.AlreadyExists, { "x-why": "dup" }, [{ desc: ErrorInfoSchema, value: { reason: "EMAIL_TAKEN", domain: "auth.triphub" } }]);
    },
  },
  {
    name: "a plain exception",
    body: [envelope(valid)],
    impl: () => {
      throw new Error("database on fire");
    },
  },
  { name: "GET", body: [envelope(valid)], method: "GET" },
];

async function answer(handlerOf: typeof createHandlerFactory, c: Case) {
  const spec = createMethodImplSpec(AuthService.method.signUp, (c.impl ?? welcome) as never);
  const handle = handlerOf(options)(spec);
  const res: UniversalServerResponse = await handle({
    httpVersion: "2.0",
    method: c.method ?? "POST",
    url: "http://127.0.0.1/triphub.auth.v1.AuthService/SignUp",
    header: new Headers({ "content-type": "application/grpc", ...c.headers }),
    body: createAsyncIterable(c.body),
    signal: new AbortController().signal,
    contextValues: createContextValues(),
  });
  const chunks: Uint8Array[] = [];
  if (res.body && Symbol.asyncIterator in Object(res.body)) for await (const chunk of res.body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return { status: res.status, header: [...new Headers(res.header)], trailer: [...new Headers(res.trailer)], body: Buffer.concat(chunks).toString("hex") };
}

describe("the chassis's unary gRPC handler", () => {
  it.each(cases)("answers $name as connect-node does", async (c) => {
    const ours = await answer(createGrpcHandlerFactory, c);
    const theirs = await answer(createHandlerFactory, c);
    expect(ours).toEqual(theirs);
  });

  it("answers the successful case with the message, the handler's headers and an OK trailer", async () => {
    const res = await answer(createGrpcHandlerFactory, cases[0]!);
    expect(res.status).toBe(200);
    expect(res.header).toEqual(expect.arrayContaining([["x-handler", "h"], ["x-from-interceptor", "yes"], ["content-type", "application/grpc+proto"]]));
    expect(res.trailer).toEqual(expect.arrayContaining([["grpc-status", "0"], ["x-trailer", "t"], ["x-handler-trailer", "ada@example.com"]]));
    expect(res.body.length).toBeGreaterThan(10);
  });

  it("encodes a response marked unchanging once, and any other response on every call", async () => {
    const served = (marked: boolean) => {
      const response = create(SignUpResponseSchema, { user: { email: "ada@example.com", displayName: "Ada" } });
      return { response, impl: () => (marked ? markUnchanging(response) : response) };
    };
    for (const marked of [true, false]) {
      const { response, impl } = served(marked);
      const c: Case = { name: "shared response", body: [envelope(valid)], impl };
      const first = await answer(createGrpcHandlerFactory, c);
      // Breaks the promise on purpose, so that reuse of the first encoding shows.
      response.user!.displayName = "Changed";
      const second = await answer(createGrpcHandlerFactory, c);
      expect(second.body === first.body).toBe(marked);
      expect(second.trailer).toEqual(first.trailer);
    }
  });

  it("leaves streaming methods to connect-node", () => {
    const grpc = createHandlerFactory(options);
    const ours = createGrpcHandlerFactory(options);
    expect(ours.protocolName).toBe(grpc.protocolName);
    const unary = ours(createMethodImplSpec(AuthService.method.signUp, welcome as never));
    expect(unary.allowedMethods).toEqual(["POST"]);
    expect(unary.protocolNames).toEqual(["grpc"]);
    expect(unary.requestPath).toBe("/triphub.auth.v1.AuthService/SignUp");
  });
});
