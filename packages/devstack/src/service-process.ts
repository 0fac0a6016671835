import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** A service process the devstack started. */
export interface Child {
  name: string;
  url: string;
  logFile: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
}

/** Options for {@link startChild}. */
export interface ChildOptions {
  name: string;
  root: string;
  entry: string;
  port: number;
  env: Record<string, string>;
  logDir: string;
}

/** Starts a service process; its stdout and stderr go to `<logDir>/<name>.log`. */
export function startChild(opts: ChildOptions): Child {
  const logFile = join(opts.logDir, `${opts.name}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, ["--conditions=@triphub/source", "--import", "tsx", opts.entry], {
    cwd: opts.root,
    env: { ...process.env, ...opts.env, PORT: String(opts.port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { name: opts.name, url: `http://127.0.0.1:${opts.port}`, logFile, process: child, exited };
}

/** Polls `/readyz` until it answers 200; rejects when the process exits or time runs out. */
export async function waitReady(child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited during start-up`);
    const ok = await fetch(`${child.url}/readyz`).then((r) => r.ok, () => false);
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

/** The last `lines` lines of a child's log, for reporting a crash. */
export async function tailOfLog(child: Child, lines = 20): Promise<string> {
  const text = await readFile(child.logFile, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
