import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/** The database the store works on: drizzle over postgres.js, opened by the chassis. */
export type RegistryDb = PostgresJsDatabase<Record<string, unknown>>;
