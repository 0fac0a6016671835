import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/**
 * The database the accommodation stores work on: drizzle over postgres.js. The SQL helpers
 * every store shares (timestamps, constraint violations, ids) are the platform's.
 */
export type AccommodationDb = PostgresJsDatabase<Record<string, unknown>>;

/** A transaction handle of an `AccommodationDb`. */
export type AccommodationTx = Parameters<Parameters<AccommodationDb["transaction"]>[0]>[0];

/** Either a database or a transaction: what a query helper runs on. */
export type Executor = AccommodationDb | AccommodationTx;
