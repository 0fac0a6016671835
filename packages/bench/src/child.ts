import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { cpuMsOf, profileFlags } from "./service-process.js";

/** A benchmark server in its own process, so it does not share an event loop with the load. */
export interface ServerProcess<T> {
  info: T;
  /** CPU time (user + system) the process has used so far, in milliseconds (Linux /proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

// Children still running when the bench exits, on an error too: none may outlive it.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGTERM");
});

/** Runs `script` (next to this file) with `args`; resolves with the JSON line it prints first. */
export async function startServerProcess<T>(script: string, args: string[]): Promise<ServerProcess<T>> {
  const entry = fileURLToPath(new URL(script, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [...profileFlags(), "--conditions=@triphub/source", "--import", "tsx", entry, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => Promise.reject(new Error(`${script} exited with ${String(code)}`))),
  ])) as [string];
  return {
    info: JSON.parse(first) as T,
    cpuMs: () => cpuMsOf(child.pid!),
    async stop() {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}
