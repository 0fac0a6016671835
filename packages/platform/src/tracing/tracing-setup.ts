import { context, propagation, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as OtlpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { samplerFrom } from "./sampler.js";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ConfigError } from "../config.js";

let provider: NodeTracerProvider | undefined;

/**
 * Whether this process records spans. Everything the chassis does for tracing asks this first
 * and does nothing at all when it is off (the default), so an untraced service pays nothing.
 */
export function isTracing(): boolean {
  return provider !== undefined;
}

/** A started tracing SDK. */
export interface Tracing {
  /** Exports the spans ended so far. */
  flush(): Promise<void>;
  /** Exports the spans still buffered and turns tracing off. */
  shutdown(): Promise<void>;
}

/** Options of {@link startTracing}. */
export interface StartTracingOptions {
  /** The service's name: `service.name` unless OTEL_SERVICE_NAME says otherwise. */
  service: string;
  /** The environment to read the standard `OTEL_*` variables from. */
  env: NodeJS.ProcessEnv;
  /** Where spans go instead of the exporter the environment names (tests). */
  exporter?: SpanExporter;
}

/**
 * Whether `env` asks for traces: an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or an exporter (OTEL_TRACES_EXPORTER other than "none"),
 * and not OTEL_SDK_DISABLED=true.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter === "none") return false;
  return Boolean(exporter || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/**
 * Starts OpenTelemetry tracing for the process when the environment asks for it (see
 * {@link tracingRequested}), else returns undefined and starts nothing. Configured by the
 * standard variables: OTEL_TRACES_EXPORTER (`otlp`, `console`), OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT,
 * _HEADERS, _PROTOCOL (`http/protobuf`, the default, or `http/json`), OTEL_TRACES_SAMPLER and
 * OTEL_TRACES_SAMPLER_ARG (e.g. `parentbased_traceidratio` and `0.1`; default: every root
 * sampled, children follow their parent), OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
 * W3C trace context is the propagation format. Call it before the service is built: the chassis
 * decides at build time whether to trace. Throws a ConfigError for a value it cannot honour.
 */
export function startTracing(opts: StartTracingOptions): Tracing | undefined {
  if (!opts.exporter && !tracingRequested(opts.env)) return undefined;
  if (provider) throw new Error("tracing is already started in this process");
  const exporter = opts.exporter ?? exporterFrom(opts.env);
  const started = new NodeTracerProvider({
    resource: resourceFromAttributes(resourceAttributes(opts.service, opts.env)),
    sampler: samplerFrom(opts.env),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  started.register();
  provider = started;
  return {
    flush: () => started.forceFlush(),
    async shutdown() {
      if (provider !== started) return;
      provider = undefined;
      try {
        await started.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
}

function exporterFrom(env: NodeJS.ProcessEnv): SpanExporter {
  const kind = env.OTEL_TRACES_EXPORTER?.split(",")[0]?.trim().toLowerCase() || "otlp";
  if (kind === "console") return new ConsoleSpanExporter();
  if (kind !== "otlp") throw new ConfigError(`invalid configuration:\n  OTEL_TRACES_EXPORTER "${kind}" is not supported: use otlp, console or none`);
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf").trim();
  // Read from `env` here rather than by the exporters, which would read process.env.
  const config = { url: tracesEndpoint(env), headers: keyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS) };
  if (protocol === "http/protobuf") return new OtlpProtoExporter(config);
  if (protocol === "http/json") return new OtlpJsonExporter(config);
  throw new ConfigError(`invalid configuration:\n  OTEL_EXPORTER_OTLP_PROTOCOL "${protocol}" is not supported: use http/protobuf or http/json`);
}

// The signal's own endpoint as given; the general one with the traces path appended (the OTLP spec).
function tracesEndpoint(env: NodeJS.ProcessEnv): string {
  const own = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (own) return own;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || "http://localhost:4318";
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

/** `k1=v1,k2=v2` (W3C baggage-like, values percent-encoded), as OTEL_RESOURCE_ATTRIBUTES and the OTLP headers are written. */
function keyValues(list: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (list ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return out;
}

// The service's name unless OTEL_SERVICE_NAME (or service.name in OTEL_RESOURCE_ATTRIBUTES) says otherwise.
function resourceAttributes(service: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const named = env.OTEL_SERVICE_NAME?.trim();
  return { "service.name": service, ...keyValues(env.OTEL_RESOURCE_ATTRIBUTES), ...(named ? { "service.name": named } : {}) };
}
