import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ClientTls, createClientFetch } from "@triphub/platform";
import type { Incarnation, SupervisedUnit } from "./supervisor.js";

/** A service process the devstack started. */
export interface Child {
  name: string;
  url: string;
  logFile: string;
  process: ChildProcess;
  /** Resolves, when the process ends, with how it ended: `code 1` or the signal, e.g. `SIGKILL`. */
  exited: Promise<string>;
}

/** Options for {@link startChild}. */
export interface ChildOptions {
  name: string;
  root: string;
  /** The TypeScript entry, relative to `root`. */
  entry: string;
  port: number;
  env: Record<string, string>;
  logDir: string;
  /** The service speaks https: its /readyz is probed with the devstack's CA and client certificate. */
  tls?: ClientTls;
}

// Every service process still running, so that none outlives the devstack however it ends.
const live = new Set<ChildProcess>();

/** Starts a service process; its stdout and stderr go to `<logDir>/<name>.log`. */
export function startChild(opts: ChildOptions): Child {
  const logFile = join(opts.logDir, `${opts.name}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, ["--conditions=@triphub/source", "--import", "tsx", opts.entry], {
    cwd: opts.root,
    env: { ...process.env, ...opts.env, PORT: String(opts.port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  // Both streams write to one log: ending it when the first ends would lose (and throw on) the
  // other's last lines, so it ends once the process has closed both.
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once("close", () => log.end());
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve(signal ?? `code ${code}`);
    }),
  );
  return { name: opts.name, url: `${opts.tls ? "https" : "http"}://127.0.0.1:${opts.port}`, logFile, process: child, exited };
}

/**
 * Polls `/readyz` until it answers 200 (over https with `tls`); rejects when the process exits,
 * time runs out or `signal` aborts.
 */
export async function waitReady(child: Child, timeoutMs: number, signal?: AbortSignal, tls?: ClientTls): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const get = tls ? createClientFetch(tls) : fetch;
  let exit: string | undefined;
  void child.exited.then((how) => (exit = how));
  while (Date.now() < deadline) {
    if (exit) throw new Error(`${child.name} exited during start-up (${exit})`);
    if (signal?.aborted) throw new Error(`${child.name}: start-up cancelled`);
    const ok = await get(`${child.url}/readyz`, { signal }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} was not ready within ${timeoutMs / 1000}s`);
}

/** Sends SIGTERM, and SIGKILL when the process has not ended after `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Kills every service process still running: for the devstack's `exit` event. */
export function killLeftoverChildren(): void {
  for (const child of live) child.kill("SIGKILL");
}

/** The last `lines` lines of a log file, for reporting a crash. */
export async function tailOfLog(logFile: string, lines = 20): Promise<string> {
  const text = await readFile(logFile, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** A service for the supervisor: each start spawns the process and waits for `/readyz`. */
export function serviceUnit(opts: ChildOptions, readyTimeoutMs = 30_000): SupervisedUnit {
  return {
    name: opts.name,
    logFile: join(opts.logDir, `${opts.name}.log`),
    async start(signal) {
      const child = startChild(opts);
      try {
        await waitReady(child, readyTimeoutMs, signal, opts.tls);
      } catch (e) {
        await stopChild(child);
        throw e;
      }
      const running: Incarnation = { exited: child.exited, stop: () => stopChild(child) };
      return running;
    },
  };
}
