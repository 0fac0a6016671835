// A whole devstack (`npm start`) for a test: its own data dir, ports and embedded PostgreSQL,
// beside any a developer runs, with a small demo catalogue.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface RunningDevstack {
  process: ChildProcess;
  dataDir: string;
  /** Added to every default port (8080 + offset is the gateway). */
  offset: number;
  gatewayUrl: string;
  /** The embedded PostgreSQL's URL for one database, e.g. "triphub_auth". */
  databaseUrl(database: string): Promise<string>;
  /** Everything it printed so far. */
  output(): string;
  /** Ctrl-C, then removes its data dir. */
  stop(): Promise<void>;
}

export async function startDevstack(opts: { properties?: number; env?: Record<string, string>; readyTimeoutMs?: number } = {}): Promise<RunningDevstack> {
  const offset = 20_000 + Math.floor(Math.random() * 5_000);
  const dataDir = await mkdtemp(join(tmpdir(), "triphub-devstack-"));
  const pgPort = offset + 20_000;
  let output = "";
  const child = spawn(process.execPath, ["--conditions=@triphub/source", "--import", "tsx", "packages/devstack/src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DEVSTACK_DATA_DIR: dataDir,
      DEVSTACK_PORT_OFFSET: String(offset),
      DEVSTACK_POSTGRES_PORT: String(pgPort),
      // A small catalogue keeps the test quick; the README's search still finds Seoul.
      DEVSTACK_SEED_PROPERTIES: String(opts.properties ?? 60),
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c: Buffer) => (output += c));
  child.stderr?.on("data", (c: Buffer) => (output += c));
  await new Promise<void>((resolve, reject) => {
    const limit = opts.readyTimeoutMs ?? 150_000;
    const timer = setTimeout(() => reject(new Error(`devstack not up in ${limit / 1000} s:\n${output}`)), limit);
    child.stdout?.on("data", () => {
      if (output.includes("TripHub is up")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`devstack exited (${code}):\n${output}`)));
  });
  return {
    process: child,
    dataDir,
    offset,
    gatewayUrl: `http://127.0.0.1:${8080 + offset}`,
    async databaseUrl(database) {
      const password = (await readFile(join(dataDir, "secrets", "postgres-password"), "utf8")).trim();
      return `postgres://triphub:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/${database}`;
    },
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGINT");
        await new Promise((r) => child.once("exit", r));
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
