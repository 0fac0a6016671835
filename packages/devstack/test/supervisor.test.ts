// Real processes under the supervisor: a stand-in service (test/fixtures/ready-server.ts, started
// the way the devstack starts services) is killed with SIGKILL and must come back, and one that
// keeps crashing is left down while the other keeps serving.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RestartPolicy } from "../src/restart-policy.js";
import { serviceUnit } from "../src/service-process.js";
import { createSupervisor, type Supervisor } from "../src/supervisor.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const entry = "packages/devstack/test/fixtures/ready-server.ts";
// Short waits keep the test quick; five crashes in a minute would be too slow to reach.
const policy: RestartPolicy = { firstDelayMs: 100, maxDelayMs: 400, maxCrashes: 3, windowMs: 60_000, stableAfterMs: 60_000 };
let logDir: string;
const lines: string[] = [];
const say = (line: string) => void lines.push(line);
const started: Supervisor[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A supervised stand-in service; `pid()` is the process answering on its port now. */
async function standIn(name: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const supervisor = createSupervisor(serviceUnit({ name, root, entry, port, env, logDir }, 15_000), { policy, say, root });
  started.push(supervisor);
  const pid = async (): Promise<number | undefined> => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    return res?.ok ? ((await res.json()) as { pid: number }).pid : undefined;
  };
  return { supervisor, pid };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; devstack said:\n${lines.join("\n")}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const linesAbout = (name: string) => lines.filter((l) => l.includes(` ${name} `));

beforeAll(async () => {
  logDir = await mkdtemp(join(tmpdir(), "triphub-supervisor-"));
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await rm(logDir, { recursive: true, force: true });
});

describe("a supervised service", () => {
  it("is restarted after SIGKILL, says so, and is ready again", async () => {
    const { supervisor, pid } = await standIn("alpha");
    await supervisor.start();
    const first = (await pid())!;
    process.kill(first, "SIGKILL");
    await until("alpha back", () => supervisor.state === "up" && linesAbout("alpha").length === 2);
    const second = await pid();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(linesAbout("alpha")).toEqual([
      "✖ alpha exited (SIGKILL); restarting in 0.1s (crash 1 of 3 in 60s)",
      expect.stringMatching(/^▸ alpha is back \(ready in \d+\.\ds\)$/),
    ]);
  });

  it("is left down after repeated crashes while the others keep serving", async () => {
    const crashing = await standIn("bravo");
    const steady = await standIn("charlie");
    await Promise.all([crashing.supervisor.start(), steady.supervisor.start()]);
    const steadyPid = await steady.pid();
    for (let crash = 1; crash <= policy.maxCrashes; crash++) {
      await until(`bravo up before crash ${crash}`, () => crashing.supervisor.state === "up");
      process.kill((await crashing.pid())!, "SIGKILL");
      await until(`bravo crash ${crash} seen`, () => crashing.supervisor.state !== "up");
    }
    expect(crashing.supervisor.state).toBe("down");
    expect(linesAbout("bravo").at(-1)).toMatch(/^✖ bravo exited \(SIGKILL\): 3 crashes within 60s, giving up\. bravo stays down; the rest keep running\./);
    // It stays down: no restart after the delay a restart would have taken.
    await new Promise((r) => setTimeout(r, policy.maxDelayMs * 2));
    expect(await crashing.pid()).toBeUndefined();
    expect(await steady.pid()).toBe(steadyPid);
    expect(steady.supervisor.state).toBe("up");
  });

  it("is not restarted when it fails its first start", async () => {
    const { supervisor } = await standIn("delta", { CRASH_AT_START: "1" });
    await expect(supervisor.start()).rejects.toThrow("delta exited during start-up (code 3)");
    await new Promise((r) => setTimeout(r, policy.maxDelayMs * 2));
    expect(linesAbout("delta")).toEqual([]);
  });

  it("is not restarted when stopped, and its process has ended", async () => {
    const { supervisor, pid } = await standIn("echo");
    await supervisor.start();
    const running = (await pid())!;
    await supervisor.stop();
    expect(alive(running)).toBe(false);
    await new Promise((r) => setTimeout(r, policy.maxDelayMs * 2));
    expect(await pid()).toBeUndefined();
    expect(supervisor.state).toBe("stopped");
    expect(linesAbout("echo")).toEqual([]);
  });

  it("ends a restart under way when stopped during the backoff", async () => {
    const { supervisor, pid } = await standIn("foxtrot");
    await supervisor.start();
    process.kill((await pid())!, "SIGKILL");
    await until("foxtrot crash seen", () => supervisor.state === "restarting");
    await supervisor.stop();
    await new Promise((r) => setTimeout(r, policy.maxDelayMs * 2));
    expect(await pid()).toBeUndefined();
    expect(linesAbout("foxtrot").filter((l) => l.includes("is back"))).toEqual([]);
  });
});
