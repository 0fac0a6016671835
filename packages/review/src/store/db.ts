import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/**
 * The database the stores work on: drizzle over postgres.js, opened by the chassis. The SQL
 * helpers every store shares (timestamptz, isUniqueViolation, drainInBatches) are the platform's.
 */
export type ReviewDb = PostgresJsDatabase<Record<string, unknown>>;
