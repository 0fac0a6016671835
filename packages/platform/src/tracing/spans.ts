import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { isTracing } from "./tracing-setup.js";

export { SpanKind } from "@opentelemetry/api";

/** The tracer of everything the chassis traces. */
export const tracer = () => trace.getTracer("@triphub/platform");

/** Options of {@link inSpan}. */
export interface InSpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Spans this one follows from without being their child (e.g. the producer of an event). */
  links?: Link[];
  /** Start a trace of its own rather than a child of the active span. */
  root?: boolean;
  /** Only when a span is active (a statement of no request's is not worth a trace of its own). */
  requireParent?: boolean;
}

/**
 * Runs `work` in a new span, the active one while it runs: ended when `work` settles, with the
 * error's type as its status when it throws. With tracing off `work` just runs (no span).
 */
export async function inSpan<T>(name: string, opts: InSpanOptions, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!isTracing()) return work(undefined);
  const active = context.active();
  if (opts.requireParent && !trace.getSpan(active)) return work(undefined);
  const parent = opts.root ? ROOT_CONTEXT : active;
  const span = tracer().startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes, links: opts.links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (e) {
    failed(span, e);
    throw e;
  } finally {
    span.end();
  }
}

/**
 * Marks `span` failed by `e`: the error's type (and a code, when it has one) but never its
 * message, which may quote a statement's values or a caller's input.
 */
export function failed(span: Span, e: unknown, code?: string): void {
  const type = e instanceof Error ? e.name : typeof e;
  span.setAttribute("error.type", code ?? type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code ?? type });
}

/** The W3C `traceparent` of the active span, when one is active. */
export function activeTraceparent(): string | undefined {
  if (!isTracing()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** A link to the span a W3C `traceparent` names (an event's producer), or none when it is malformed. */
export function linkTo(traceparent: string | undefined): Link | undefined {
  if (!traceparent) return undefined;
  const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
  return spanContext && isSpanContextValid(spanContext) ? { context: spanContext } : undefined;
}

/**
 * `trace.id` and `span.id` (ECS) of the span active in `ctx` (default: now), for log lines;
 * empty outside any trace. A new object every time: pino's mixin merges the line into it.
 */
export function traceLogFields(ctx: Context = context.active()): Record<string, string> {
  const sc = trace.getSpanContext(ctx);
  return sc && isSpanContextValid(sc) ? { "trace.id": sc.traceId, "span.id": sc.spanId } : {};
}
