import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** A service started from its real `main.ts`, as in production. */
export interface ServiceProcess {
  name: string;
  url: string;
  pid: number;
  /** CPU time (user + system) the process has used so far, in milliseconds (Linux /proc). */
  cpuMs(): number;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/** CPU milliseconds of process `pid` so far, 0 once it has gone. */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** BENCH_CPU_PROFILE=dir: node flags that write a V8 CPU profile of a server process there, for digging. */
export function profileFlags(): string[] {
  const dir = process.env.BENCH_CPU_PROFILE;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Runs `packages/<dir>/src/main.ts` with `env` on a free port (the environment of this process
 * is passed on, except the variables named in `unset`), and resolves once `/readyz` answers.
 * Its output goes to this process's stderr.
 */
export async function startService(name: string, dir: string, env: Record<string, string>, unset: string[] = []): Promise<ServiceProcess> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" };
  for (const v of unset) delete childEnv[v];
  const child: ChildProcess = spawn(process.execPath, [...profileFlags(), "--conditions=@triphub/source", "--import", "tsx", `packages/${dir}/src/main.ts`], {
    cwd: root,
    env: childEnv,
    // Its log lines go to stderr, so stdout keeps only the figures.
    stdio: ["ignore", 2, 2],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up (${child.exitCode})`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} was not ready within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name, url, pid: child.pid!, cpuMs: () => cpuMsOf(child.pid!), stop };
}
