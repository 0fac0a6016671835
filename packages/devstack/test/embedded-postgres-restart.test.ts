// The devstack's own embedded PostgreSQL under the supervisor: its server killed with SIGKILL
// comes back on the same data directory with the data intact.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalPostgres, openLocalPostgres } from "../src/embedded-postgres.js";
import { createSupervisor, type Supervisor } from "../src/supervisor.js";

const lines: string[] = [];
let dataDir: string;
let pg: LocalPostgres;
let server: Supervisor;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The postmaster's pid, as PostgreSQL records it: first line of postmaster.pid. */
const postmasterPid = async () => Number((await readFile(join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);

async function query<T extends object>(text: string): Promise<T[]> {
  const sql = postgres(pg.urlFor("restart_check"), { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "triphub-devstack-pg-"));
  await mkdir(join(dataDir, "logs"));
  pg = await openLocalPostgres(dataDir, await freePort(), join(dataDir, "logs"));
  const policy = { firstDelayMs: 100, maxDelayMs: 400, maxCrashes: 5, windowMs: 60_000, stableAfterMs: 60_000 };
  server = createSupervisor(pg.server, { policy, say: (l) => void lines.push(l) });
  await server.start();
  await pg.ensureDatabase("restart_check");
});

afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the embedded PostgreSQL under the supervisor", () => {
  it("comes back after its postmaster is killed, with the data it had", async () => {
    await query("create table kept (note text); insert into kept values ('before the crash')");
    const first = await postmasterPid();
    process.kill(first, "SIGKILL");
    const deadline = Date.now() + 30_000;
    while (server.state !== "up" || !lines.some((l) => l.startsWith("▸ postgres is back"))) {
      if (Date.now() > deadline) throw new Error(`postgres not back:\n${lines.join("\n")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(lines[0]).toMatch(/^✖ postgres exited \(SIGKILL\); restarting in 0\.1s \(crash 1 of 5 in 60s\)$/);
    expect(await postmasterPid()).not.toBe(first);
    expect(await query<{ note: string }>("select note from kept")).toEqual([{ note: "before the crash" }]);
  });

  it("stops its server when stopped, without a restart", async () => {
    const running = await postmasterPid();
    const said = lines.length;
    await server.stop();
    expect(() => process.kill(running, 0)).toThrow();
    expect(existsSync(join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
    expect(lines.slice(said)).toEqual([]);
  });
});
