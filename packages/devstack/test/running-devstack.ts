// A whole devstack (`npm start`) for a test: its own data dir, ports and embedded PostgreSQL,
// beside any a developer runs, with a small demo catalogue.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
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

/**
 * Starts a devstack on ports of its own: a random offset that keeps every port below Linux's
 * ephemeral range (32768+), where the kernel hands out the source ports of outgoing
 * connections, and PostgreSQL's at offset - 9000 (9000-15000), clear of every service port and of
 * tls-stack.test.ts's. A start that still finds a port taken is tried again on another offset.
 */
export async function startDevstack(opts: { properties?: number; env?: Record<string, string>; readyTimeoutMs?: number } = {}): Promise<RunningDevstack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      if (attempt >= 3 || !(e instanceof PortTaken)) throw e;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(opts: { properties?: number; env?: Record<string, string>; readyTimeoutMs?: number }): Promise<RunningDevstack> {
  const offset = 18_000 + Math.floor(Math.random() * 6_000);
  const dataDir = await mkdtemp(join(tmpdir(), "triphub-devstack-"));
  const pgPort = offset - 9_000;
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
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      await new Promise((r) => child.once("exit", r));
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const limit = opts.readyTimeoutMs ?? 150_000;
      const timer = setTimeout(() => reject(new Error(`devstack not up in ${limit / 1000} s:\n${output}`)), limit);
      child.stdout?.on("data", () => {
        if (output.includes("TripHub is up")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        const taken = /EADDRINUSE|address already in use/i.test(output);
        reject(new (taken ? PortTaken : Error)(`devstack exited (${code}):\n${output}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
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
    stop,
  };
}

/**
 * The pid of the service process listening on `port` whose entry is `entry` (e.g.
 * "registry/src/main.ts"): its PORT in /proc/<pid>/environ (Linux).
 */
export async function pidOnPort(port: number, entry: string): Promise<number> {
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const env = await readFile(`/proc/${pid}/environ`, "utf8").catch(() => "");
    const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmd.includes(entry) && env.split("\0").includes(`PORT=${port}`)) return Number(pid);
  }
  throw new Error(`no ${entry} on port ${port}`);
}

/**
 * SIGKILLs the devstack's process `name` (e.g. "accommodation-2", listening on `port`, started
 * from `entry`) and resolves once the devstack says it has restarted it.
 */
export async function killAndAwaitRestart(stack: RunningDevstack, name: string, port: number, entry: string, timeoutMs = 90_000): Promise<void> {
  const backLine = `▸ ${name} is back`;
  const backs = () => stack.output().split(backLine).length;
  const before = backs();
  process.kill(await pidOnPort(port, entry), "SIGKILL");
  const deadline = Date.now() + timeoutMs;
  while (backs() === before) {
    if (Date.now() > deadline) throw new Error(`${name} not restarted within ${timeoutMs / 1000} s:\n${stack.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
