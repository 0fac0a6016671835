import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ROOT_CONTEXT, type SpanContext, SpanKind, TraceFlags, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan, SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { databaseUrl, redisUrl, serverUrl } from "@triphub/testkit";
import postgres from "postgres";
import { createClient as createRedis } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import {
  ConfigError,
  createLogger,
  createServiceClient,
  type Database,
  inSpan,
  isTracing,
  openDatabase,
  requestInfo,
  startTracing,
  type Tracing,
  tracedTransport,
  tracingRequested,
} from "../src/index.js";
import { samplerFrom } from "../src/tracing/sampler.js";
import { traceRedis } from "../src/tracing/redis-spans.js";
import { captureLogs, startTestHost } from "./fixtures.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));
const silent = createLogger({ service: "test", level: "silent" });

async function emptyDatabase(): Promise<string> {
  const name = `tracing_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return databaseUrl(serverUrl(), name);
}

let tracing: Tracing | undefined;
afterAll(() => tracing?.shutdown());

// Tracing is process-wide: the tests with it off run first, then it is started once.
describe("tracing off (no OTEL_* variable)", () => {
  it("starts no SDK and leaves transports, databases and logs as they were", async () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: "true", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe(true);
    expect(startTracing({ service: "test", env: {} })).toBeUndefined();
    expect(isTracing()).toBe(false);
    const transport = createGrpcTransport({ baseUrl: "http://127.0.0.1:1" });
    expect(tracedTransport(transport)).toBe(transport);

    // A caller's traceparent is not picked up, and nothing is logged about it.
    const { host, url, lines } = await startTestHost({
      login: (_req, ctx) => {
        requestInfo(ctx, silent).log.info("handler ran");
        return {};
      },
    });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    await client.login({ email: "ana@example.com", password: "hunter2 hunter2" }, { headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } });
    await host.close();
    expect(lines.some((l) => "trace.id" in l)).toBe(false);
    expect(isTracing()).toBe(false);
  });

  it("refuses samplers and exporters it cannot honour", () => {
    expect(() => samplerFrom({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(ConfigError);
    expect(() => samplerFrom({ OTEL_TRACES_SAMPLER: "sometimes" })).toThrow(ConfigError);
    expect(() => startTracing({ service: "test", env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" } })).toThrow(ConfigError);
    expect(isTracing()).toBe(false);
  });
});

describe("sampling (OTEL_TRACES_SAMPLER)", () => {
  const parent = (sampled: boolean): SpanContext => ({
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
  const decide = (env: NodeJS.ProcessEnv, from?: SpanContext) => {
    const ctx = from ? trace.setSpanContext(ROOT_CONTEXT, from) : ROOT_CONTEXT;
    return samplerFrom(env).shouldSample(ctx, "0af7651916cd43dd8448eb211c80319c", "x", SpanKind.SERVER, {}, []).decision;
  };
  it("keeps a ratio of new traces and follows the caller's decision (parentbased_traceidratio)", () => {
    const none = { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" };
    expect(decide(none)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(none, parent(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const all = { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "1" };
    expect(decide(all)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(all, parent(false))).toBe(SamplingDecision.NOT_RECORD);
    // Default: every new trace, and the caller's decision for the rest.
    expect(decide({})).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});

describe("tracing on", () => {
  const exporter = new InMemorySpanExporter();
  const spans = async (): Promise<ReadableSpan[]> => {
    await tracing?.flush();
    return exporter.getFinishedSpans();
  };
  const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

  it("carries the trace from a caller through a service to the next and its database, with trace ids in the logs", async () => {
    tracing = startTracing({ service: "test", env: {}, exporter });
    expect(isTracing()).toBe(true);
    const database: Database = await openDatabase({ url: await emptyDatabase(), migrationsFolder, log: silent, max: 2 });
    const back = await startTestHost({
      getMe: async (_req, ctx) => {
        requestInfo(ctx, silent).log.info("back ran");
        await database.sql`select name from rooms where name = ${"secret-room-name"}`;
        return { user: { userId: "u1" } };
      },
    });
    const backClient = createServiceClient(AuthService, back.url);
    const front = await startTestHost({
      login: async () => {
        await backClient.getMe({});
        return {};
      },
    });
    // A caller outside the platform with a span of its own.
    const client = createClient(AuthService, tracedTransport(createGrpcTransport({ baseUrl: front.url })));
    await inSpan("caller", {}, () => client.login({ email: "ana@example.com", password: "hunter2 hunter2" }));
    await front.host.close();
    await back.host.close();
    await database.close();

    const all = await spans();
    const caller = all.find((s) => s.name === "caller")!;
    const inTrace = all.filter((s) => s.spanContext().traceId === caller.spanContext().traceId);
    const one = (kind: SpanKind, name: string) => {
      const found = inTrace.filter((s) => s.kind === kind && s.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const callerCall = one(SpanKind.CLIENT, "triphub.auth.v1.AuthService/Login");
    const frontServer = one(SpanKind.SERVER, "triphub.auth.v1.AuthService/Login");
    const frontCall = one(SpanKind.CLIENT, "triphub.auth.v1.AuthService/GetMe");
    const backServer = one(SpanKind.SERVER, "triphub.auth.v1.AuthService/GetMe");
    const query = inTrace.find((s) => s.attributes["db.system.name"] === "postgresql")!;
    expect([parentOf(callerCall), parentOf(frontServer), parentOf(frontCall), parentOf(backServer), parentOf(query)]).toEqual([
      caller.spanContext().spanId,
      callerCall.spanContext().spanId,
      frontServer.spanContext().spanId,
      frontCall.spanContext().spanId,
      backServer.spanContext().spanId,
    ]);
    expect(backServer.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.service": "triphub.auth.v1.AuthService", "rpc.method": "GetMe", "rpc.grpc.status_code": 0 });
    expect(query.name).toMatch(/^SELECT tracing_/);
    expect(query.attributes["db.query.text"]).toBe("select name from rooms where name = $1");
    expect(JSON.stringify(inTrace.map((s) => s.attributes))).not.toContain("secret-room-name");
    // The handler's log line names the span it ran in.
    const line = back.lines.find((l) => l.message === "back ran");
    expect(line).toMatchObject({ "trace.id": backServer.spanContext().traceId, "span.id": backServer.spanContext().spanId });
    expect(back.lines.find((l) => l.message === "rpc")?.["trace.id"]).toBe(backServer.spanContext().traceId);
  });

  it("traces no probe and no statement outside a trace", async () => {
    exporter.reset();
    const { host, url } = await startTestHost({});
    await fetch(`${url}/readyz`);
    await fetch(`${url}/healthz`);
    await host.close();
    const database = await openDatabase({ url: await emptyDatabase(), migrationsFolder, log: silent, max: 1 });
    await database.sql`select 1`;
    await database.close();
    expect(await spans()).toEqual([]);
  });

  it("makes a span per Redis command inside a trace, named by the command and without its key", async () => {
    exporter.reset();
    const redis = traceRedis(createRedis({ url: redisUrl() }));
    await redis.connect();
    await inSpan("caller", {}, async () => {
      await redis.set("tracing:secret-key", "secret-value");
      await redis.get("tracing:secret-key");
      await redis.multi().get("tracing:secret-key").del("tracing:secret-key").exec();
    });
    await redis.get("outside");
    await redis.quit();
    const names = (await spans()).map((s) => s.name);
    expect(names).toEqual(["SET", "GET", "MULTI", "caller"]);
    expect(JSON.stringify((await spans()).map((s) => s.attributes))).not.toContain("secret");
  });

  it("writes the trace ids on lines logged inside a span", async () => {
    const { lines, log } = captureLogs();
    await inSpan("work", {}, async (span) => {
      log.info("inside");
      expect(span).toBeDefined();
    });
    log.info("outside");
    log.flush();
    await new Promise((r) => setTimeout(r, 50));
    const work = (await spans()).find((s) => s.name === "work")!;
    expect(lines.find((l) => l.message === "inside")).toMatchObject({ "trace.id": work.spanContext().traceId, "span.id": work.spanContext().spanId });
    expect(lines.find((l) => l.message === "outside")).not.toHaveProperty("trace.id");
  });
});
