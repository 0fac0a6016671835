import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/**
 * The database the auth stores work on: drizzle over postgres.js, with or without a relational
 * schema (`drizzle(client)` and `drizzle(client, { schema })` both fit).
 */
export type AuthDb = PostgresJsDatabase<Record<string, unknown>>;

/** A transaction handle of an `AuthDb`. */
export type AuthTx = Parameters<Parameters<AuthDb["transaction"]>[0]>[0];

/**
 * A timestamp parameter for raw SQL. postgres.js under drizzle does not serialize a bare Date
 * outside a column context, so pass ISO text and cast it.
 */
export function timestamptz(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}

/**
 * True when `err` (or an error in its `cause` chain: drizzle wraps driver errors) is a
 * PostgreSQL unique violation, optionally of the named constraint or index.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const fields = e as Error & { code?: unknown; constraint_name?: unknown };
    if (fields.code === "23505") return constraint === undefined || fields.constraint_name === constraint;
  }
  return false;
}

/** Checks ids before they reach PostgreSQL, which rejects a malformed uuid with an error rather than "no row". */
export { isUuid } from "@triphub/platform/page-token";
