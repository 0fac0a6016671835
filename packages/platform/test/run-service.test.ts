import { fileURLToPath } from "node:url";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { databaseUrl, freshDatabase, serverUrl } from "@triphub/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Clock,
  createService,
  type Database,
  MIGRATE_ONLY_VARIABLE,
  runService,
  type ServiceHost,
  systemClock,
  withConnection,
} from "../src/index.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));

// runService installs SIGTERM/SIGINT handlers as main.ts needs; the test removes only its own.
const signals = ["SIGTERM", "SIGINT"] as const;
const before = new Map(signals.map((s) => [s, process.listeners(s)]));
afterEach(() => {
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.off(s, l);
});

describe("runService", () => {
  it("migrates and opens the database, builds with the system clock, listens, and the chassis closes the pool", async () => {
    const url = await freshDatabase({ migrationsFolder, name: "run_service" });
    let built: { host: ServiceHost; database: Database; now: Clock } | undefined;
    const listening = await runService({
      name: "run-test",
      loadConfig: () => ({ PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent", DATABASE_URL: url }),
      migrationsFolder,
      build: async ({ database, log, now }) => {
        const host = await createService({ name: "run-test", serviceNames: [AuthService.typeName], routes: () => {}, log, database });
        built = { host, database, now };
        return host;
      },
    });
    expect(built!.now).toBe(systemClock);
    expect(await built!.database.sql`select name from rooms`).toEqual([{ name: "first" }]);
    expect((await fetch(`${listening}/readyz`)).status).toBe(200);
    expect(process.listenerCount("SIGTERM")).toBe(before.get("SIGTERM")!.length + 1);
    await built!.host.close();
    await expect(built!.database.sql`select 1`).rejects.toThrow();
  });

  it("with MIGRATE_ONLY=1 migrates an empty database and returns without reading the config, building or listening", async () => {
    const name = `migrate_only_${process.pid}_${Date.now()}`;
    await withConnection(serverUrl(), (sql) => sql.unsafe(`create database ${name}`));
    const url = databaseUrl(serverUrl(), name);
    const saved = { only: process.env[MIGRATE_ONLY_VARIABLE], url: process.env.DATABASE_URL, level: process.env.LOG_LEVEL };
    Object.assign(process.env, { [MIGRATE_ONLY_VARIABLE]: "1", DATABASE_URL: url, LOG_LEVEL: "silent" });
    let touched = false;
    try {
      const result = await runService({
        name: "run-test",
        loadConfig: () => {
          touched = true;
          throw new Error("a migration job has no configuration to read");
        },
        migrationsFolder,
        build: async () => {
          touched = true;
          throw new Error("a migration job builds no server");
        },
      });
      expect(result).toBeUndefined();
    } finally {
      for (const [key, value] of [[MIGRATE_ONLY_VARIABLE, saved.only], ["DATABASE_URL", saved.url], ["LOG_LEVEL", saved.level]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(touched).toBe(false);
    expect(process.listenerCount("SIGTERM")).toBe(before.get("SIGTERM")!.length);
    expect(await withConnection(url, (sql) => sql`select name from rooms`)).toEqual([{ name: "first" }]);
  });
});
