import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** A benchmark server in its own process, so it does not share an event loop with the load. */
export interface ServerProcess<T> {
  info: T;
  /** CPU time (user + system) the process has used so far, in milliseconds (Linux /proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuMsOf(pid: number): number {
  // Fields after the command name (which may hold spaces, hence the split at ") ").
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Runs `script` (next to this file) with `args`; resolves with the JSON line it prints first. */
export async function startServerProcess<T>(script: string, args: string[]): Promise<ServerProcess<T>> {
  const entry = fileURLToPath(new URL(script, import.meta.url));
  // BENCH_CPU_PROFILE=dir writes a V8 CPU profile of each server process there, for digging.
  const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, "--conditions=@triphub/source", "--import", "tsx", entry, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
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
