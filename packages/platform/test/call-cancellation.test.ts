import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { databaseUrl, serverUrl } from "@triphub/testkit";
import { sql as drizzleSql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cache, createCache, createLogger, type Database, openDatabase, type ServiceHost } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));
const log = createLogger({ service: "test", level: "silent" });

// What the handler runs for the call in progress; each resolves when its work has ended.
type Work = (database: Database) => Promise<unknown>;
const SLEEP_RAW: Work = (d) => d.sql`select pg_sleep(20)`;
const SLEEP_IN_TRANSACTION: Work = (d) => d.db.transaction((tx) => tx.execute(drizzleSql`select pg_sleep(20)`));

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Whether the handler of the last call returned within `ms` (it is not waited for beyond).
const endsWithin = (ended: Promise<void>, ms: number) =>
  Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(r, ms, false))]);

describe("a call's database work", () => {
  let name: string;
  let admin: postgres.Sql;
  let database: Database;
  let cache: Cache;
  let host: ServiceHost;
  let client: ReturnType<typeof createClient<typeof AuthService>>;
  let work: Work = SLEEP_RAW;
  let handlerEnded: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    name = `chassis_${Math.random().toString(36).slice(2, 10)}`;
    admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    database = await openDatabase({ url: databaseUrl(serverUrl(), name), migrationsFolder, log, max: 4 });
    cache = await createCache({ name: "cancellation", log });
    let url: string;
    ({ host, url } = await startTestHost({
      async getJwks() {
        let ended = () => {};
        handlerEnded = new Promise((r) => (ended = r));
        try {
          await work(database);
        } finally {
          ended();
        }
        return {};
      },
    }));
    client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
  });

  afterAll(async () => {
    await host?.close();
    await cache?.close();
    await database?.close();
    await admin?.end();
  });

  const sleepersInDatabase = async () => {
    const rows = await admin`
      select count(*)::int as n from pg_stat_activity
      where datname = ${name} and state = 'active' and query like '%pg_sleep(20)%'`;
    return rows[0]!.n as number;
  };

  it.each([
    ["a statement", SLEEP_RAW],
    ["a statement in a transaction", SLEEP_IN_TRANSACTION],
  ])("%s is cancelled on the server when the call's deadline passes", async (_what, w) => {
    work = w;
    const err = await client.getJwks({}, { timeoutMs: 500 }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(err?.code).toBe(Code.DeadlineExceeded);
    expect(await endsWithin(handlerEnded, 3_000)).toBe(true);
    await eventually(async () => (await sleepersInDatabase()) === 0, 3_000);
  });

  it("is cancelled on the server when the client goes away", async () => {
    work = SLEEP_RAW;
    const gone = new AbortController();
    const call = client.getJwks({}, { signal: gone.signal }).catch(() => undefined);
    await eventually(async () => (await sleepersInDatabase()) === 1, 3_000);
    gone.abort();
    await call;
    expect(await endsWithin(handlerEnded, 3_000)).toBe(true);
    await eventually(async () => (await sleepersInDatabase()) === 0, 3_000);
  });

  it("leaves a cached load that other calls share running when the call that started it ends", async () => {
    const key = `k${Math.random()}`;
    work = (d) => cache.wrap(key, 60_000, async () => (await d.sql`select pg_sleep(0.5), 1 as one`)[0]);
    const first = client.getJwks({}, { timeoutMs: 200 }).then(
      () => "OK",
      (e: unknown) => Code[ConnectError.from(e).code],
    );
    // The first call starts the load; the second joins it.
    await new Promise((r) => setTimeout(r, 50));
    const second = client.getJwks({}, { timeoutMs: 5_000 });
    expect(await first).toBe(Code[Code.DeadlineExceeded]);
    await expect(second).resolves.toBeDefined();
  });

  it("leaves statements made outside any call alone", async () => {
    const rows = await database.sql`select count(*)::int as n from rooms`;
    expect(rows[0]!.n).toBe(1);
  });
});
