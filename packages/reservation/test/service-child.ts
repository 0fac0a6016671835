// A service run as a process of its own, as production runs it (node + tsx on its main.ts), so
// a test can SIGKILL it mid-saga and start it again on the same database.
import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** A running service process. */
export interface ServiceChild {
  process: ChildProcess;
  /** Resolves, when the process ends, with how: the signal (e.g. "SIGKILL") or `code N`. */
  exited: Promise<string>;
  /** What it wrote to stdout and stderr (for a failure's message). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has ended. */
  stop(graceMs?: number): Promise<void>;
}

export { freePort } from "@triphub/testkit";

/**
 * Starts `entry` (relative to the repository root) with `env` on top of this process's
 * environment, and resolves once its /readyz answers 200 at `url`.
 */
export async function startServiceChild(entry: string, url: string, env: Record<string, string>, readyMs = 60_000): Promise<ServiceChild> {
  const child = spawn(process.execPath, ["--conditions=@triphub/source", "--import", "tsx", entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString("utf8")).slice(-8_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // A test that fails or times out must not leave the process behind.
  const orphaned = () => child.kill("SIGKILL");
  process.once("exit", orphaned);
  let how: string | undefined;
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => {
      process.off("exit", orphaned);
      how = signal ?? `code ${code}`;
      resolve(how);
    }),
  );
  const running: ServiceChild = {
    process: child,
    exited,
    output: () => text,
    async stop(graceMs = 10_000) {
      if (how !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (how !== undefined) throw new Error(`${entry} exited during start-up (${how}):\n${text}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return running;
    if (Date.now() > deadline) {
      await running.stop(1_000);
      throw new Error(`${entry} was not ready within ${readyMs / 1000}s:\n${text}`);
    }
    await sleep(100);
  }
}
