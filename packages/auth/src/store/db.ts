import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/**
 * The database the auth stores work on: drizzle over postgres.js, with or without a relational
 * schema (`drizzle(client)` and `drizzle(client, { schema })` both fit). The SQL helpers every
 * store shares (timestamps, constraint violations, ids) are the platform's.
 */
export type AuthDb = PostgresJsDatabase<Record<string, unknown>>;

/** A transaction handle of an `AuthDb`. */
export type AuthTx = Parameters<Parameters<AuthDb["transaction"]>[0]>[0];
