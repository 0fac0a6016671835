import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { inject } from "vitest";
import { ident, withAdmin } from "./pg-admin.js";
import "./provided-context.js";

/** Options of {@link freshDatabase}. */
export interface FreshDatabaseOptions {
  /** A drizzle-kit output folder: `meta/_journal.json` and `NNNN_name.sql`. */
  migrationsFolder: string;
  /** Readable part of the database name, e.g. the service or test file. */
  name?: string;
}

/**
 * A brand-new database on the run's PostgreSQL server, cloned from a template with the
 * folder's migrations applied, and its URL. Call it once per test file (in `beforeAll`), so
 * files running in parallel never see each other's rows.
 */
export async function freshDatabase(opts: FreshDatabaseOptions): Promise<string> {
  const server = serverUrl();
  const label = (opts.name ?? "test").toLowerCase().replace(/[^a-z0-9_]+/g, "_").slice(0, 32);
  const name = `${inject("databasePrefix")}${label}_${randomBytes(4).toString("hex")}`;
  await withAdmin(server, async (sql) => {
    const template = await ensureTemplate(sql, server, opts.migrationsFolder);
    await sql.unsafe(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`);
  });
  return databaseUrl(server, name);
}

/** URL of the run's PostgreSQL server, as the global setup provided it. */
export function serverUrl(): string {
  return inject("databaseUrl");
}

/** URL of the run's Redis server, as the global setup provided it. */
export function redisUrl(): string {
  return inject("redisUrl");
}

/** The URL of database `name` on the server of `server` (same host, port and credentials). */
export function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Name of the template database for a migrations folder; it changes with the folder's files. */
export async function templateName(migrationsFolder: string): Promise<string> {
  return templateNameOf(await folderHash(resolve(migrationsFolder)));
}

function templateNameOf(hash: string): string {
  return `tpl_${hash.slice(0, 12)}`;
}

// Other test files (other processes) may be building the same template right now: an
// advisory lock makes one build it, and the rest find it done.
async function ensureTemplate(sql: postgres.Sql, server: string, migrations: string): Promise<string> {
  const folder = resolve(migrations);
  const hash = await folderHash(folder);
  const name = templateNameOf(hash);
  const lockKey = BigInt(`0x${hash.slice(0, 15)}`).toString();
  if (await exists(sql, name)) return name;
  await sql`select pg_advisory_lock(${lockKey}::bigint)`;
  try {
    if (await exists(sql, name)) return name;
    // Build under another name and rename when done, so a crash mid-migration never
    // leaves a half-migrated template behind.
    const build = `${name}_build`;
    await sql.unsafe(`DROP DATABASE IF EXISTS ${ident(build)} WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE ${ident(build)}`);
    const client = postgres(databaseUrl(server, build), { max: 1, onnotice: () => {} });
    try {
      await migrate(drizzle(client), { migrationsFolder: folder });
    } catch (err) {
      await client.end();
      await sql.unsafe(`DROP DATABASE IF EXISTS ${ident(build)} WITH (FORCE)`);
      throw err;
    }
    await client.end();
    await sql.unsafe(`ALTER DATABASE ${ident(build)} RENAME TO ${ident(name)}`);
    // CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template.
    await sql.unsafe(`ALTER DATABASE ${ident(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } finally {
    await sql`select pg_advisory_unlock(${lockKey}::bigint)`;
  }
  return name;
}

async function exists(sql: postgres.Sql, name: string): Promise<boolean> {
  const rows = await sql`select 1 from pg_database where datname = ${name}`;
  return rows.length > 0;
}

async function folderHash(folder: string): Promise<string> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (files.length === 0) throw new Error(`no migrations in ${folder}`);
  const hash = createHash("sha256");
  for (const file of files) hash.update(relative(folder, file)).update("\0").update(await readFile(file));
  return hash.digest("hex");
}
