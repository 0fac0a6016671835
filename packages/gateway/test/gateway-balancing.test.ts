// Two real accommodation instances on one PostgreSQL database behind the real gateway
// (UPSTREAMS `accommodation=a|b`): calls spread over both, reads go on with no failure when
// one instance dies, a keyed write in flight on the dying one ends exactly once (in the
// database), and a write without a key is not sent again.
import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import { Writable } from "node:stream";
import { create, toJson } from "@bufbuild/protobuf";
import { buildServer as buildAccommodation, MIGRATIONS_FOLDER as ACCOMMODATION_MIGRATIONS } from "@triphub/accommodation";
import { Amenity, PropertySchema, PropertyType } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { ConfigError, createLogger, type InstanceResolver, openDatabase, staticResolver, withConnection } from "@triphub/platform";
import { serviceDeps, type StackUser, startAuth, type TestAuth } from "@triphub/test-stack";
import { freshDatabase, type RunningService, serve } from "@triphub/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";
import { parseUpstreams } from "../src/upstreams.js";

const log = createLogger({ service: "gateway-test", level: "silent" });

/** An accommodation instance: its RPCs counted from its access log, its sockets resettable. */
interface Instance {
  name: string;
  url: string;
  count(rpc: string): number;
  /** Stops listening and resets every connection, as a killed process's kernel would. */
  kill(): void;
}

let auth: TestAuth;
let deps: Awaited<ReturnType<typeof serviceDeps>>;
let dbUrl: string;
let owner: StackUser;
const running: { close(): Promise<void> }[] = [];

async function startInstance(name: string): Promise<Instance> {
  const rpcs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n")) {
        if (!l) continue;
        const line = JSON.parse(l) as { message?: string; rpc?: string };
        if (line.message === "rpc" && line.rpc) rpcs.push(line.rpc.split("/")[1]!);
      }
      done();
    },
  });
  // The pool names itself, so the test can see which instance waits in PostgreSQL.
  const database = await openDatabase({ url: `${dbUrl}?application_name=${name}`, migrationsFolder: ACCOMMODATION_MIGRATIONS, log, max: 4 });
  const service = await serve(await buildAccommodation({ ...deps, database, log: createLogger({ service: name, level: "info", destination }) }));
  const sockets = new Set<Socket>();
  service.host.app.server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  let killed = false;
  running.push({ close: () => (killed ? database.close() : service.close()) });
  return {
    name,
    url: service.url,
    count: (rpc) => rpcs.filter((r) => r === rpc).length,
    kill() {
      killed = true;
      service.host.app.server.close();
      for (const s of sockets) s.resetAndDestroy();
    },
  };
}

/** The real gateway with `accommodation=<a>|<b>` in UPSTREAMS (or another resolver). */
async function gatewayFor(instances: readonly Instance[], resolver?: InstanceResolver): Promise<RunningService> {
  const gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `auth=${auth.running.url},accommodation=${instances.map((i) => i.url).join("|") || "http://127.0.0.1:9"}`,
        AUTH_JWKS_URL: auth.jwksUrl,
        UPSTREAM_TIMEOUT_MS: "10000",
        EDGE_CACHE_TTL_MS: "0",
        RATE_LIMITS: "off",
        ...auth.identityConfig("gateway"),
      }),
      log,
      resolver,
    }),
  );
  running.push(gateway);
  return gateway;
}

/** Two instances on the one database and a gateway in front of them. */
async function pair() {
  const a = await startInstance(`acc_a_${running.length}`);
  const b = await startInstance(`acc_b_${running.length}`);
  const gateway = await gatewayFor([a, b]);
  const byName = (name: string) => (name === a.name ? a : b);
  return { a, b, gateway, byName, other: (name: string) => (name === a.name ? b : a) };
}

const property = () =>
  toJson(
    PropertySchema,
    create(PropertySchema, {
      name: "Bukchon Hanok Stay",
      description: "A quiet hanok near the palaces.",
      propertyType: PropertyType.HANOK,
      address: { line1: "37 Bukchon-ro 11-gil", city: "Seoul", region: "Seoul", postalCode: "03055", countryCode: "KR", location: { latitude: 37.58, longitude: 126.98 } },
      amenities: [Amenity.WIFI],
      photos: [{ url: "https://cdn.example.com/a.jpg", caption: "Courtyard" }],
      checkInTime: "15:00",
      checkOutTime: "11:00",
      timeZone: "Asia/Seoul",
      currencyCode: "KRW",
      cancellationPolicy: CancellationPolicy.MODERATE,
    }),
  );

const createProperty = (gateway: RunningService, user: StackUser, requestId?: string) =>
  fetch(`${gateway.url}/api/v1/accommodations${requestId ? `?requestId=${requestId}` : ""}`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
    body: JSON.stringify(property()),
  });
const read = (gateway: RunningService, propertyId: string) =>
  fetch(`${gateway.url}/api/v1/accommodations/${propertyId}:manage`, { headers: { authorization: `Bearer ${owner.token}` } });
const propertiesOf = (user: StackUser) =>
  withConnection(dbUrl, async (sql) => (await sql`select id from properties where owner_id = ${user.userId}`).map((r) => r.id as string));
/** The instances whose database connections wait for a lock now. */
const waiting = () =>
  withConnection(dbUrl, async (sql) =>
    (await sql`select application_name from pg_stat_activity where wait_event_type = 'Lock' and application_name like 'acc_%'`).map((r) => r.application_name as string),
  );

/** Holds new properties and request id claims back (a table lock) while `during` runs: a CreateProperty waits in PostgreSQL. */
function withWritesHeld<T>(during: () => Promise<T>): Promise<T> {
  // One connection (max 1): the lock is held from `begin` to `rollback`.
  return withConnection(dbUrl, async (sql) => {
    await sql`begin`;
    try {
      await sql`lock table request_ids, properties in share row exclusive mode`;
      return await during();
    } finally {
      await sql`rollback`;
    }
  });
}

beforeAll(async () => {
  auth = await startAuth({ name: "gw_balancing" });
  deps = await serviceDeps(auth, { service: "accommodation", migrationsFolder: ACCOMMODATION_MIGRATIONS });
  await deps.database.close();
  dbUrl = await freshDatabase({ migrationsFolder: ACCOMMODATION_MIGRATIONS, name: "gw_balancing_acc" });
  owner = await auth.signUp([Role.HOST]);
});
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
});
afterAll(async () => {
  await auth?.close();
});

describe("UPSTREAMS", () => {
  it("lists several instances of a service separated by |", () => {
    const [acc] = parseUpstreams("accommodation=http://10.0.0.5:7102|http://10.0.0.6:7102");
    expect(acc!.address).toEqual({ kind: "urls", urls: ["http://10.0.0.5:7102", "http://10.0.0.6:7102"] });
    expect(() => parseUpstreams("accommodation=http://a:1|ftp://b")).toThrow(ConfigError);
    expect(() => parseUpstreams("accommodation=")).toThrow(ConfigError);
  });

  it("finds a service's instances through the registry or the cluster's DNS", () => {
    const [acc, rev] = parseUpstreams("accommodation=registry:///accommodation,review=dns:///review.triphub.svc:7105");
    expect(acc!.address).toEqual({ kind: "registry", service: "accommodation" });
    expect(rev!.address).toEqual({ kind: "dns", host: "review.triphub.svc", port: 7105 });
    expect(() => parseUpstreams("accommodation=registry://accommodation")).toThrow(/registry:\/\/\/<name>/);
    expect(() => parseUpstreams("accommodation=dns:///review")).toThrow(ConfigError);
  });
});

describe("two accommodation instances behind the gateway", () => {
  it("share 200 reads evenly (least-outstanding is round robin when calls do not overlap): 100 each, within 10%", async () => {
    const { a, b, gateway } = await pair();
    const res = await createProperty(gateway, owner);
    const { propertyId } = (await res.json()) as { propertyId: string };
    for (let i = 0; i < 200; i++) expect((await read(gateway, propertyId)).status).toBe(200);
    const got = [a.count("GetProperty"), b.count("GetProperty")];
    expect(got[0]! + got[1]!).toBe(200);
    for (const n of got) expect(Math.abs(n - 100)).toBeLessThanOrEqual(10);
  });

  it("steady reads on 8 clients see no failure when one instance dies, and the gateway stays ready", async () => {
    const { a, b, gateway } = await pair();
    const { propertyId } = (await (await createProperty(gateway, owner)).json()) as { propertyId: string };
    let ok = 0;
    const failures: number[] = [];
    let stop = false;
    const loops = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const res = await read(gateway, propertyId);
        await res.arrayBuffer();
        if (res.status === 200) ok++;
        else failures.push(res.status);
      }
    });
    await expect.poll(() => ok, { timeout: 10_000 }).toBeGreaterThan(100);
    b.kill();
    const atKill = ok;
    await expect.poll(() => ok, { timeout: 15_000 }).toBeGreaterThan(atKill + 300);
    stop = true;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    expect(b.count("GetProperty")).toBeGreaterThan(20);
    expect(a.count("GetProperty")).toBeGreaterThan(300);
    // One instance of accommodation still answers: the gateway keeps taking traffic.
    await expect.poll(async () => (await fetch(`${gateway.url}/readyz`)).status, { timeout: 5_000 }).toBe(200);
  });

  it("a write with an idempotency key in flight on an instance that dies is sent to the other and made once", async () => {
    const { gateway, byName, other } = await pair();
    const user = await auth.signUp([Role.HOST]);
    const requestId = randomUUID();
    const { call } = await withWritesHeld(async () => {
      const call = createProperty(gateway, user, requestId);
      await expect.poll(waiting, { timeout: 5_000 }).toHaveLength(1);
      const [victim] = await waiting();
      byName(victim!).kill();
      // The gateway sends it again: now the other instance waits for the lock.
      await expect.poll(waiting, { timeout: 5_000 }).toEqual([other(victim!).name]);
      return { call };
    });
    const res = await call;
    expect(res.status).toBe(200);
    const made = (await res.json()) as { propertyId: string };
    expect(await propertiesOf(user)).toEqual([made.propertyId]);
    // A client retry with the same key gets the same property, and still one exists.
    const again = await createProperty(gateway, user, requestId);
    expect(((await again.json()) as { propertyId: string }).propertyId).toBe(made.propertyId);
    expect(await propertiesOf(user)).toEqual([made.propertyId]);
  });

  it("a write without a key in flight on an instance that dies is not sent to the other", async () => {
    const { gateway, byName, other } = await pair();
    const user = await auth.signUp([Role.HOST]);
    let victim = "";
    const status = await withWritesHeld(async () => {
      const call = createProperty(gateway, user);
      await expect.poll(waiting, { timeout: 5_000 }).toHaveLength(1);
      victim = (await waiting())[0]!;
      byName(victim).kill();
      const status = (await call).status;
      // Nothing reached the other instance, nor waits there (the dead one's statement was
      // cancelled with its call, as a killed process's connection would be).
      expect(await waiting()).not.toContain(other(victim).name);
      return status;
    });
    expect(status).toBe(503);
    expect(other(victim).count("CreateProperty")).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(await propertiesOf(user)).toEqual([]);
  });
});

describe("no instance known", () => {
  it("answers 503 at once, not after the upstream timeout", async () => {
    const none: InstanceResolver = staticResolver({});
    const gateway = await gatewayFor([], none);
    const t0 = Date.now();
    const res = await fetch(`${gateway.url}/api/v1/accommodations/${randomUUID()}`);
    expect(res.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(503);
  });
});
