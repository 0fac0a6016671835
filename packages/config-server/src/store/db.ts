import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/** The database the store works on: drizzle over postgres.js, opened by the chassis. */
export type ConfigDb = PostgresJsDatabase<Record<string, unknown>>;
