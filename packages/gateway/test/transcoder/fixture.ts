import { create, type DescService } from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createLogger, createService } from "@triphub/platform";
import { serve } from "@triphub/testkit";
import { BadRequest_FieldViolationSchema, BadRequestSchema, ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import fastify, { type FastifyInstance } from "fastify";
import { createTranscoder, fastifyTranscoder, type Transcoder, type TranscoderOptions } from "../../src/transcoder/index.js";
import { type Envelope, type FailRequest, FailResponseSchema, ItemSchema, UploadSummarySchema } from "../gen/transcoding/v1/messages_pb.js";
import { MediaService } from "../gen/transcoding/v1/media_pb.js";
import { TranscodingService } from "../gen/transcoding/v1/service_pb.js";
import { mediaService } from "./media-service.js";
import { sleep } from "./abortable-sleep.js";

/** Request headers the test service reports back in FailResponse.headers. */
const REPORTED_HEADERS = ["authorization", "traceparent", "tracestate", "x-request-id", "accept-language", "cookie", "x-custom"];

/** How many streams (server, client or bidi) the test service saw cancelled by the caller. */
export const streamsCancelled = { count: 0 };

/** How many request messages the client- and bidi-streaming RPCs have received so far. */
export const streamMessagesReceived = { count: 0 };

/** The test service: echoes requests, and fails, waits or streams on demand. */
function testService(): ServiceImpl<typeof TranscodingService> {
  const attempts = new Map<string, number>();
  const echo = <T>(req: T) => req;
  return {
    getItem: echo,
    getSpecialItem: (req) => ({ ...req, name: "special" }),
    getTyped: echo,
    listByInner: echo,
    getByName: echo,
    getFile: echo,
    download: echo,
    createItem: echo,
    putItem: echo,
    updateItem: echo,
    deleteItem: () => create(EmptySchema),
    archiveItem: echo,
    searchItems: echo,
    internal: echo,
    fail: (req, ctx) => fail(req, ctx, attempts),
    failIdempotent: (req, ctx) => fail(req, ctx, attempts),
    async *watchItems(req, ctx) {
      try {
        for (let i = 0; i < req.count; i++) {
          if (i > 0 && req.intervalMs) await sleep(req.intervalMs, ctx.signal);
          yield create(ItemSchema, { id: String(i), size: BigInt(i) });
        }
        if (req.failCode) throw new ConnectError("stream broke", req.failCode as Code);
      } finally {
        if (ctx.signal.aborted) streamsCancelled.count++;
      }
    },
    async uploadItems(reqs, ctx) {
      const received: Envelope[] = [];
      try {
        for await (const env of reqs) {
          streamMessagesReceived.count++;
          if (env.failCode) throw new ConnectError(`upload failed at message ${received.length + 1}`, env.failCode as Code);
          if (env.delayMs) await sleep(env.delayMs, ctx.signal);
          received.push(env);
        }
      } finally {
        if (ctx.signal.aborted) streamsCancelled.count++;
      }
      return create(UploadSummarySchema, { count: received.length, received });
    },
    async *echoItems(reqs, ctx) {
      try {
        for await (const env of reqs) {
          streamMessagesReceived.count++;
          if (env.delayMs) await sleep(env.delayMs, ctx.signal);
          if (env.failCode) throw new ConnectError("echo failed", env.failCode as Code);
          yield env;
        }
      } finally {
        if (ctx.signal.aborted) streamsCancelled.count++;
      }
    },
  };
}

async function fail(req: FailRequest, ctx: HandlerContext, attempts: Map<string, number>) {
  const n = (attempts.get(req.key) ?? 0) + 1;
  attempts.set(req.key, n);
  if (req.responseRequestId) {
    ctx.responseHeader.set("x-request-id", req.responseRequestId);
    ctx.responseHeader.set("x-internal-secret", "backend-only");
  }
  if (req.delayMs) await sleep(req.delayMs, ctx.signal);
  if (n <= req.failures) throw new ConnectError("try again", Code.Unavailable);
  if (req.code) {
    const details: ConstructorParameters<typeof ConnectError>[3] & object = [];
    if (req.badRequest) {
      details.push({
        desc: BadRequestSchema,
        value: create(BadRequestSchema, { fieldViolations: [create(BadRequest_FieldViolationSchema, { field: "name", description: "must not be empty" })] }),
      });
    }
    if (req.errorInfo) details.push({ desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason: "OUT_OF_STOCK", domain: "example.com", metadata: { sku: "42" } }) });
    const err = new ConnectError(req.message, req.code as Code, undefined, details);
    // A detail of a type no registry knows, as raw bytes.
    if (req.unknownDetail) err.details.push({ type: "example.v1.Secret", value: new Uint8Array([1, 2, 3]) });
    throw err;
  }
  const headers: Record<string, string> = {};
  for (const h of REPORTED_HEADERS) {
    const v = ctx.requestHeader.get(h);
    if (v !== null) headers[h] = v;
  }
  return create(FailResponseSchema, { attempts: n, headers });
}

/** The test service behind a transcoder on a real Fastify app, both on loopback. */
export interface Stack {
  /** The gateway's base URL, e.g. `http://127.0.0.1:40123`. */
  base: string;
  /** The backend's base URL. */
  backend: string;
  transcoder: Transcoder;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the test services (the real chassis, gRPC on loopback) and a gateway in front of them. */
export async function startStack(
  options: Partial<TranscoderOptions> & {
    prefix?: string;
    transport?: Transport;
    /** Builds the transport from the backend's URL (instead of `transport`; default gRPC). */
    upstream?: (backendUrl: string) => Transport;
    setup?: (app: FastifyInstance) => void;
  } = {},
): Promise<Stack> {
  const log = createLogger({ service: "transcoder-test", level: "silent" });
  const host = await createService({
    name: "transcoding-test",
    serviceNames: [TranscodingService.typeName, MediaService.typeName],
    routes: (router) => router.service(TranscodingService, testService()).service(MediaService, mediaService()),
    log,
  });
  const running = await serve(host);
  const transport = options.transport ?? (options.upstream ?? ((baseUrl) => createGrpcTransport({ baseUrl })))(running.url);
  const { prefix, transport: _t, upstream: _u, setup, ...rest } = options;
  const transcoder = createTranscoder({
    services: [TranscodingService as DescService, MediaService as DescService],
    transportFor: () => transport,
    ...rest,
  });
  const app = fastify();
  app.get("/healthz", async () => ({ ok: true }));
  fastifyTranscoder(app, transcoder, { prefix });
  setup?.(app);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    backend: running.url,
    transcoder,
    app,
    async close() {
      await app.close();
      await running.close();
    },
  };
}

/**
 * fetch, returning status, headers and the body parsed as JSON when there is one. A string body
 * is sent as application/json unless the caller names a Content-Type (fetch would say text/plain).
 */
export async function call(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
  const headers = new Headers(init?.headers);
  if (typeof init?.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
