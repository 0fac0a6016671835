import { type ChildProcessByStdio, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { hasContainerRuntime } from "./container-runtime.js";
import { findExecutable } from "./find-executable.js";
import { freePort } from "./free-port.js";
import { redisCommand } from "./redis-command.js";
import { announce, envUrl, type StartedServer } from "./started-server.js";

const REDIS_ENV = ["TEST_REDIS_URL", "REDIS_URL"];

/**
 * A Redis server for a test run: `TEST_REDIS_URL` / `REDIS_URL` when set, else a container
 * when a Docker engine answers, else the system's `redis-server` on a free port (reported as
 * source "embedded"), without persistence, killed on stop.
 */
export async function startRedis(): Promise<StartedServer> {
  const fromEnv = envUrl(...REDIS_ENV);
  const server: StartedServer = fromEnv
    ? { url: fromEnv, source: "env", stop: async () => {} }
    : (await hasContainerRuntime())
      ? await startContainer()
      : await startLocal();
  announce("Redis", server);
  return server;
}

/**
 * Makes sure `startRedis()` will find a server: with no Redis URL in the environment, no
 * Docker engine and no `redis-server` on PATH, installs it with apt-get when running as root
 * on Debian/Ubuntu, and otherwise throws an Error naming the command to run.
 */
export async function ensureRedisServer(): Promise<void> {
  if (envUrl(...REDIS_ENV) || findExecutable("redis-server") || (await hasContainerRuntime())) return;
  const aptGet = findExecutable("apt-get");
  if (process.getuid?.() !== 0 || !aptGet || !existsSync("/etc/debian_version")) {
    const command = process.platform === "darwin" ? "brew install redis" : "sudo apt-get install redis-server";
    throw new Error(
      `Tests need Redis: no TEST_REDIS_URL, no Docker engine and no redis-server on PATH. Run \`${command}\` (or set TEST_REDIS_URL).`,
    );
  }
  process.stderr.write("testkit: redis-server is missing; running apt-get update && apt-get install -y redis-server\n");
  await run(aptGet, ["update"]);
  await run(aptGet, ["install", "-y", "redis-server"]);
  if (!findExecutable("redis-server")) throw new Error("apt-get installed redis-server but it is not on PATH");
}

async function run(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const output = captureOutput(child);
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${code}):\n${output()}`);
}

/** Keeps the last few kB a child printed, to show when it fails, and prints nothing. */
function captureOutput(child: ChildProcessByStdio<null, Readable, Readable>): () => string {
  let output = "";
  const keep = (chunk: Buffer | string) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.once("error", (err) => keep(err.message));
  return () => output;
}

async function startContainer(): Promise<StartedServer> {
  const { RedisContainer } = await import("@testcontainers/redis");
  const container = await new RedisContainer("redis:7-alpine").start();
  return {
    url: container.getConnectionUrl(),
    source: "testcontainers",
    stop: async () => {
      await container.stop();
    },
  };
}

async function startLocal(): Promise<StartedServer> {
  const bin = findExecutable("redis-server");
  if (!bin) throw new Error("redis-server is not on PATH; call ensureRedisServer() first");
  const dir = await mkdtemp(join(tmpdir(), "triphub-redis-"));
  const port = await freePort();
  const child = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = captureOutput(child);
  let running = true;
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      running = false;
      resolve();
    };
    child.once("exit", done);
    child.once("error", done);
  });
  // A crashed test run must not leave a server behind.
  const killOnExit = () => void child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.off("exit", killOnExit);
    if (running) child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 10_000; ; await sleep(50)) {
    if (!running || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start on port ${port}:\n${output()}`);
    }
    if ((await redisCommand(url, ["PING"], 500).catch(() => undefined)) === "PONG") break;
  }
  return { url, source: "embedded", stop };
}
