import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Logger } from "pino";
import postgres from "postgres";

/** A service's database: drizzle for queries, the raw postgres.js client for the rest. */
export interface Database {
  db: PostgresJsDatabase;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/** Options for {@link openDatabase}. */
export interface DatabaseOptions {
  url: string;
  /** The service's drizzle-kit output folder; applied before the pool is handed out. */
  migrationsFolder: string;
  log: Logger;
  /** Pool size. */
  max?: number;
}

// Any constant works: the lock is scoped to the service's own database.
const MIGRATION_LOCK = 7_242_001;

/**
 * Applies pending migrations, then opens the pool. Instances that start together take a
 * session advisory lock on one dedicated connection, so each migration runs exactly once and
 * the others wait, then find nothing to do.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  await migrateExclusively(opts.url, opts.migrationsFolder, opts.log);
  const sql = postgres(opts.url, { max: opts.max ?? 10, onnotice: () => {}, connection: { application_name: "triphub" } });
  return { db: drizzle(sql), sql, close: () => sql.end({ timeout: 5 }) };
}

/** Runs the migrations in `folder` under the migration lock (also used by tests). */
export async function migrateExclusively(url: string, folder: string, log: Logger): Promise<void> {
  const one = postgres(url, { max: 1, onnotice: () => {} });
  const started = performance.now();
  try {
    await one`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(one), { migrationsFolder: folder });
    log.info({ ms: Math.round(performance.now() - started) }, "database migrated");
  } finally {
    await one`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await one.end({ timeout: 5 });
  }
}
