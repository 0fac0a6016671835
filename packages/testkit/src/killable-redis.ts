import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findExecutable } from "./find-executable.js";
import { freePort } from "./free-port.js";
import { redisCommand } from "./redis-command.js";
import { ensureRedisServer } from "./redis.js";

/**
 * A Redis server of one's own that a test may kill, stall and start again on the same port,
 * to see what the services that use it do meanwhile. Apart from the test run's shared server,
 * which other test files use.
 */
export interface KillableRedis {
  /** The same across restarts. */
  url: string;
  /** SIGKILLs the server (it keeps nothing: no persistence) and resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts an empty server again on the same port (after {@link kill}). */
  start(): Promise<void>;
  /** SIGSTOPs the server: connections stay open and nothing is answered, as a stalled server. */
  pause(): void;
  /** SIGCONTs a paused server. */
  resume(): void;
  /** Kills the server if running and removes its directory. */
  stop(): Promise<void>;
}

/** Starts a throwaway `redis-server` (the system's) on a free loopback port. */
export async function startKillableRedis(): Promise<KillableRedis> {
  await ensureRedisServer();
  const bin = findExecutable("redis-server");
  if (!bin) throw new Error("a killable Redis needs redis-server on PATH");
  const dir = await mkdtemp(join(tmpdir(), "triphub-redis-killable-"));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  // A crashed test run must not leave a server behind.
  const killOnExit = () => void child?.kill("SIGKILL");
  process.once("exit", killOnExit);

  async function start(): Promise<void> {
    const proc = spawn(bin!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { cwd: dir, stdio: "ignore" });
    child = proc;
    exited = new Promise((resolve) => {
      proc.once("exit", resolve);
      proc.once("error", resolve);
    });
    for (const deadline = Date.now() + 10_000; ; await sleep(50)) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      if ((await redisCommand(url, ["PING"], 500).catch(() => undefined)) === "PONG") return;
    }
  }

  async function kill(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
    await exited;
    child = undefined;
  }

  await start();
  return {
    url,
    kill,
    start,
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
    async stop() {
      process.off("exit", killOnExit);
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
