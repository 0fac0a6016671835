import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/** The database the accommodation stores work on: drizzle over postgres.js. */
export type AccommodationDb = PostgresJsDatabase<Record<string, unknown>>;

/** A transaction handle of an `AccommodationDb`. */
export type AccommodationTx = Parameters<Parameters<AccommodationDb["transaction"]>[0]>[0];

/** Either a database or a transaction: what a query helper runs on. */
export type Executor = AccommodationDb | AccommodationTx;

/**
 * A timestamp parameter for raw SQL. postgres.js under drizzle does not serialize a bare Date
 * outside a column context, so pass ISO text and cast it.
 */
export function timestamptz(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}

function pgErrorCode(err: unknown): { code?: unknown; constraint_name?: unknown } | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const fields = e as Error & { code?: unknown; constraint_name?: unknown };
    if (typeof fields.code === "string" && /^[0-9A-Z]{5}$/.test(fields.code)) return fields;
  }
  return undefined;
}

/** True when `err` (or its `cause` chain: drizzle wraps driver errors) is a unique violation. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgErrorCode(err);
  return e?.code === "23505" && (constraint === undefined || e.constraint_name === constraint);
}

/** True when `err` is a CHECK constraint violation, optionally of the named constraint. */
export function isCheckViolation(err: unknown, constraint?: string): boolean {
  const e = pgErrorCode(err);
  return e?.code === "23514" && (constraint === undefined || e.constraint_name === constraint);
}

/** Checks ids before they reach PostgreSQL, which rejects a malformed uuid with an error rather than "no row". */
export { isUuid } from "@triphub/platform/page-token";
