import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "@triphub/contracts";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type KillablePostgres, startKillablePostgres } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, type Database, openDatabase, type ServiceHost, ServingStatus } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));
const log = createLogger({ service: "test", level: "silent" });

// What callers get from an RPC, and how long it took.
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result?: T; error?: ConnectError }> {
  const started = performance.now();
  try {
    const result = await work();
    return { ms: performance.now() - started, result };
  } catch (e) {
    return { ms: performance.now() - started, error: ConnectError.from(e) };
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a service whose PostgreSQL is killed and comes back", () => {
  let pg: KillablePostgres;
  let database: Database;
  let host: ServiceHost;
  let url: string;

  beforeAll(async () => {
    pg = await startKillablePostgres();
    database = await openDatabase({ url: pg.url, migrationsFolder, log, max: 4 });
    ({ host, url } = await startTestHost(
      {
        async getJwks() {
          await database.sql`select count(*) from rooms`;
          return {};
        },
        async getMe() {
          await database.sql`select pg_sleep(30)`;
          return {};
        },
      },
      { database },
    ));
  });

  afterAll(async () => {
    await host?.close();
    await pg?.stop();
  });

  it("says 503 on /readyz and UNAVAILABLE to RPCs at once while it is down, and serves again once it is back", async () => {
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const ready = () => fetch(`${url}/readyz`).then((r) => r.status);
    expect(await ready()).toBe(200);
    await client.getJwks({});

    // A statement running when the server dies fails as soon as its connection does.
    const running = timed(() => client.getMe({}, { timeoutMs: 10_000 }));
    await new Promise((r) => setTimeout(r, 300));
    await pg.kill();
    const cut = await running;
    expect(cut.error?.code).toBe(Code.Unavailable);
    expect(cut.ms).toBeLessThan(3_000);

    // grpc.health.v1, which load balancers and the registry read, says the same as /readyz.
    const health = createClient(Health, createGrpcTransport({ baseUrl: url }));
    await eventually(async () => (await health.check({})).status === ServingStatus.NOT_SERVING, 5_000);

    // Several rounds: each failed reconnect made the driver wait longer before the next one.
    for (let round = 0; round < 6; round++) {
      const probe = await timed(ready);
      expect(probe.result).toBe(503);
      expect(probe.ms).toBeLessThan(1_500);
      const call = await timed(() => client.getJwks({}, { timeoutMs: 10_000 }));
      expect(call.error?.code).toBe(Code.Unavailable);
      expect(call.error?.rawMessage).toMatch(/database is unavailable/);
      expect(call.ms).toBeLessThan(3_000);
    }

    await pg.start();

    // The same process, pool and service: nothing restarted but PostgreSQL.
    await eventually(async () => (await ready()) === 200, 5_000);
    await client.getJwks({});
    await eventually(async () => (await health.check({})).status === ServingStatus.SERVING, 5_000);
  });
});
