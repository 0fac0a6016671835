import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { databaseUrl } from "@triphub/testkit";
import postgres from "postgres";

const root = fileURLToPath(new URL("../../..", import.meta.url));
/** A catalogue older than this is loaded again: its calendar starts on the day it was seeded. */
const MAX_AGE_DAYS = 30;

/**
 * What the catalogue was made by: the accommodation migrations and the seed generator and
 * loader. A kept catalogue whose fingerprint differs is loaded again (a migration edited
 * before merge, or a new seed column, would otherwise leave it stale).
 */
async function catalogueFingerprint(): Promise<string> {
  const hash = createHash("sha256");
  for (const dir of ["packages/accommodation/drizzle", "packages/accommodation/src/seed"]) {
    for (const file of (await readdir(join(root, dir))).filter((f) => /\.(sql|ts)$/.test(f)).sort()) {
      hash.update(`${dir}/${file}\0`).update(await readFile(join(root, dir, file))).update("\0");
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** The seeded catalogue database of the benchmark. */
export interface SearchCatalogue {
  name: string;
  url: string;
  /** What happened to the catalogue on this run: kept, or loaded (and how long it took). */
  status: string;
}

/**
 * Makes sure database `bench_search_<properties>` on the PostgreSQL server at `serverUrl` holds
 * a fully loaded seed catalogue of that size. The load is slow (about 6 minutes for 100k
 * properties), so a catalogue is kept on a server that outlives the run (the embedded one in
 * .data/bench-postgres, or `TEST_DATABASE_URL`);
 * completion is recorded in `bench.seed_marker` after the load and VACUUM ANALYZE, so an
 * interrupted load is redone, and so is one made by other migrations or another seed, or
 * more than 30 days ago (the seed's calendar starts on the day of the load).
 */
export async function ensureSearchCatalogue(serverUrl: string, properties: number, log: (line: string) => void): Promise<SearchCatalogue> {
  const name = `bench_search_${properties}`;
  const url = databaseUrl(serverUrl, name);
  const fingerprint = await catalogueFingerprint();
  if (await isLoaded(serverUrl, name, properties, fingerprint)) return { name, url, status: "kept from an earlier run" };
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const t0 = performance.now();
  log(`loading ${properties} properties into ${name} (about 6 minutes per 100k)...`);
  await runSeed(url, properties);
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // The load is one transaction: set hint bits and the visibility map now, and give the
    // planner statistics, rather than letting autovacuum do it in the middle of a run.
    await db.unsafe("vacuum (analyze)");
    await db.unsafe("create schema bench");
    await db.unsafe("create table bench.seed_marker (properties int not null, fingerprint text not null, seeded_at timestamptz not null default now())");
    await db`insert into bench.seed_marker (properties, fingerprint) values (${properties}, ${fingerprint})`;
  } finally {
    await db.end();
  }
  return { name, url, status: `loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s (seed, then VACUUM ANALYZE)` };
}

async function isLoaded(serverUrl: string, name: string, properties: number, fingerprint: string): Promise<boolean> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) return false;
  } finally {
    await admin.end();
  }
  const db = postgres(databaseUrl(serverUrl, name), { max: 1, onnotice: () => {} });
  try {
    // Missing table: a load that never finished (or an older bench); either way, load again.
    const rows = await db<{ properties: number; fingerprint: string; fresh: boolean }[]>`select properties, fingerprint,
        seeded_at > now() - make_interval(days => ${MAX_AGE_DAYS}) as fresh from bench.seed_marker`.catch(() => []);
    return rows.some((r) => r.properties === properties && r.fingerprint === fingerprint && r.fresh);
  } finally {
    await db.end();
  }
}

/** The accommodation seed loader (its own script, as the devstack runs it). */
async function runSeed(url: string, properties: number): Promise<void> {
  const child = spawn(
    process.execPath,
    ["--conditions=@triphub/source", "--import", "tsx", "packages/accommodation/src/seed/main.ts", "--properties", String(properties), "--database-url", url],
    { cwd: root, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c));
  child.stderr?.on("data", (c: Buffer) => (output += c));
  // Ctrl-C during the load: the seed is one transaction, so killing it leaves nothing behind.
  const kill = () => child.kill("SIGTERM");
  process.once("exit", kill);
  const [code] = (await once(child, "exit")) as [number | null];
  process.off("exit", kill);
  if (code !== 0) throw new Error(`seeding failed (exit ${code}):\n${output.slice(-2000)}`);
}

/**
 * Reads the catalogue's tables and indexes into PostgreSQL's shared buffers (pg_prewarm), so
 * every run starts from the same warm state instead of whatever the OS page cache kept.
 */
export async function prewarm(url: string): Promise<{ megabytes: number; seconds: number }> {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const t0 = performance.now();
    await db`create extension if not exists pg_prewarm`;
    const [row] = await db<{ blocks: number }[]>`select coalesce(sum(pg_prewarm(c.oid)), 0)::float8 as blocks
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'i')`;
    return { megabytes: Math.round(((row?.blocks ?? 0) * 8192) / 2 ** 20), seconds: (performance.now() - t0) / 1000 };
  } finally {
    await db.end();
  }
}
