import { context, SpanKind, trace } from "@opentelemetry/api";
import type { QueryLike } from "../cancellable-sql.js";
import { failed, tracer } from "./spans.js";
import { isTracing } from "./tracing-setup.js";

/** What a postgres.js query holds beside being a promise: its text, cut where the values go. */
interface QueryText {
  /** A tagged template's strings, or `[text]` for `unsafe(text, values)` (drizzle's way). */
  strings?: readonly string[];
}

// Long statements (a search's CTEs) are cut: the span is for finding the statement, not reading it.
const MAX_TEXT = 2_000;

/**
 * The statement as PostgreSQL receives it, without any value: a tagged template's values
 * become `$1, $2, ...` as the driver sends them, and `unsafe(text, values)` already has them
 * as placeholders. Values never reach a span.
 */
export function statementText(query: QueryLike): string | undefined {
  const strings = (query as QueryLike & QueryText).strings;
  if (!Array.isArray(strings) || strings.length === 0) return undefined;
  const text = strings.reduce((out: string, s: string, i: number) => `${out}$${i}${s}`).replace(/\s+/g, " ").trim();
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text;
}

/**
 * A CLIENT span per statement made while a span is active (a request, a saga step, an event
 * being applied), from when it is made until it settles; statements of no trace (a job's
 * polling) make none. Named `<OPERATION> <database>` with the value-free statement text. With
 * tracing off, undefined: nothing to call.
 */
export function querySpans(database: string): ((query: QueryLike) => void) | undefined {
  if (!isTracing()) return undefined;
  return (query) => {
    const parent = context.active();
    if (!trace.getSpan(parent)) return;
    const text = statementText(query);
    const operation = text?.match(/^\(?\s*([a-z]+)/i)?.[1]?.toUpperCase() ?? "QUERY";
    const span = tracer().startSpan(
      `${operation} ${database}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "db.system.name": "postgresql",
          "db.namespace": database,
          "db.operation.name": operation,
          ...(text ? { "db.query.text": text } : {}),
        },
      },
      parent,
    );
    // Promise's own then: postgres.js's then() would start the query. A fragment embedded in
    // another statement never settles and its span is never ended, hence never exported.
    Promise.prototype.then.call(
      query,
      () => span.end(),
      (e: unknown) => {
        // The SQLSTATE, never the message (it may quote a row's values).
        const code = typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined;
        failed(span, e, code);
        span.end();
      },
    );
  };
}
