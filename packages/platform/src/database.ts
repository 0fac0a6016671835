import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Logger } from "pino";
import postgres from "postgres";
import { callSignal } from "./call-scope.js";
import { cancelOnAbort, type QueryLike } from "./cancellable-sql.js";
import { observePool } from "./metrics/database-metrics.js";
import { querySpans } from "./tracing/query-spans.js";

/**
 * A service's database: drizzle for queries, the postgres.js client for the rest. Statements
 * made while serving an RPC are cancelled when the call is abandoned (see cancellable-sql.ts).
 */
export interface Database {
  db: PostgresJsDatabase;
  sql: postgres.Sql;
  /** Whether the database answers `select 1` within `timeoutMs` (default 1 s): for readiness. */
  ping(timeoutMs?: number): Promise<boolean>;
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
  /** The pool's name in metrics (`pool` label), e.g. the service's; default "main". */
  name?: string;
  /** Ceiling on any one statement, in ms (0: none); default 60 s. RPCs' statements end with their call sooner. */
  statementTimeoutMs?: number;
}

// How long opening a connection may take. PostgreSQL answers within milliseconds when it is
// there; past this it is gone, and a caller is better told so than kept waiting.
const CONNECT_TIMEOUT_S = 2;

// postgres.js waits before each new connection attempt after failed ones, growing to 10-20 s:
// during an outage every query waited that long before failing. Keep the pause short, so a
// query fails (or finds the database back) within a second.
const reconnectBackoffS = (retries: number) => (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, 0.5);

// Any constant works: the lock is scoped to the service's own database.
const MIGRATION_LOCK = 7_242_001;

/**
 * Applies pending migrations, then opens the pool. Instances that start together take a
 * session advisory lock on one dedicated connection, so each migration runs exactly once and
 * the others wait, then find nothing to do.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  await migrateExclusively(opts.url, opts.migrationsFolder, opts.log);
  const max = opts.max ?? 10;
  const pool = postgres(opts.url, {
    max,
    onnotice: () => {},
    connect_timeout: CONNECT_TIMEOUT_S,
    backoff: reconnectBackoffS,
    connection: { application_name: "triphub", statement_timeout: opts.statementTimeoutMs ?? 60_000 },
  });
  const metrics = observePool(opts.name ?? "main", max);
  const spans = querySpans(databaseName(opts.url));
  const onQuery = spans
    ? (q: QueryLike) => {
        metrics.onQuery(q);
        spans(q);
      }
    : metrics.onQuery;
  const sql = cancelOnAbort(pool, callSignal, onQuery);
  const close = async () => {
    metrics.stop();
    await pool.end({ timeout: 5 });
  };
  return { db: drizzle(sql), sql, ping: (timeoutMs) => ping(pool, timeoutMs), close };
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

// The database's name in a postgres URL, for spans ("postgres" when the URL names none).
function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";
  } catch {
    return "postgres";
  }
}

async function ping(sql: postgres.Sql, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
  const answered = sql`select 1`.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `query` on one connection of its own to `url`, closed after: for tools (the demo seeds)
 * that read another service's database once. Services never read each other's databases.
 */
export async function withConnection<T>(url: string, query: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await query(sql);
  } finally {
    await sql.end();
  }
}
