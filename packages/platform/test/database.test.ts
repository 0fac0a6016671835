import { fileURLToPath } from "node:url";
import { databaseUrl, serverUrl } from "@triphub/testkit";
import postgres from "postgres";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createLogger, openDatabase, toConnectError } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));
const log = createLogger({ service: "test", level: "silent" });

async function emptyDatabase(): Promise<string> {
  const name = `chassis_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return databaseUrl(serverUrl(), name);
}

describe("database", () => {
  it("applies each migration exactly once when several instances start together", async () => {
    const url = await emptyDatabase();
    const instances = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ url, migrationsFolder, log, max: 2 })));
    const [first] = instances;
    const applied = await first!.sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(applied[0]!.n).toBe(2);
    const rows = await first!.sql`select name, note from rooms`;
    expect(rows).toEqual([{ name: "first", note: null }]);
    await Promise.all(instances.map((d) => d.close()));
  });

  it("finds nothing to do on a restart", async () => {
    const url = await emptyDatabase();
    await (await openDatabase({ url, migrationsFolder, log })).close();
    const again = await openDatabase({ url, migrationsFolder, log });
    const rows = await again.sql`select count(*)::int as n from rooms`;
    expect(rows[0]!.n).toBe(1);
    await again.close();
  });

  it("cuts any statement off at the pool's statement timeout, which callers see as DEADLINE_EXCEEDED", async () => {
    const url = await emptyDatabase();
    const database = await openDatabase({ url, migrationsFolder, log, statementTimeoutMs: 200 });
    const err = await database.sql`select pg_sleep(5)`.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "57014" });
    expect(toConnectError(err).code).toBe(Code.DeadlineExceeded);
    await database.close();
  });

  it("is closed by the chassis of the service given it, after the service's own onClose", async () => {
    const database = await openDatabase({ url: await emptyDatabase(), migrationsFolder, log, max: 2 });
    const steps: string[] = [];
    const { host, url } = await startTestHost(
      {},
      {
        database,
        onClose: async () => {
          // Jobs stopping here may still write: the pool is open until this returns.
          await database.sql`select 1`;
          steps.push("onClose queried");
        },
      },
    );
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await host.close();
    expect(steps).toEqual(["onClose queried"]);
    await expect(database.sql`select 1`).rejects.toThrow();
  });
});
