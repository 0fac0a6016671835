// The client-side balancer against real chassis instances on loopback (gRPC over HTTP/2): how
// calls spread, what survives an instance dying, what is retried and what is not, ejection of
// a failing instance and its return, and the caller's deadline.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { CancellationReason } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { freePort } from "@triphub/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  type BalancedTransportOptions,
  createBalancedTransport,
  createServiceClient,
  type InstanceResolver,
  type ServiceInstance,
  serviceTransport,
  staticResolver,
} from "../src/index.js";
import { booking, startInstance, type TestInstance } from "./balancer-instances.js";

const ID = "44444444-4444-4444-8444-444444444444";
/** A write without an idempotency key. */
const cancel = { reservationId: ID, reason: CancellationReason.CHANGE_OF_PLANS };
const started: TestInstance[] = [];
const transports: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) await t.close();
  for (const i of started.splice(0)) await i.close();
});

async function instances(n: number): Promise<TestInstance[]> {
  const list = await Promise.all(Array.from({ length: n }, (_, i) => startInstance(`instance-${String.fromCharCode(97 + i)}`)));
  started.push(...list);
  return list;
}

/** A balanced client of the reservation stand-in over gRPC, one connection per instance. */
function balanced(urls: readonly string[], opts: Partial<BalancedTransportOptions> = {}) {
  const transport = createBalancedTransport({
    service: "reservation",
    resolver: staticResolver({ reservation: urls }),
    transportFor: (url) => serviceTransport(ReservationService, url),
    defaultTimeoutMs: 5_000,
    ...opts,
  });
  transports.push(transport);
  return createClient(ReservationService, transport);
}

const served = (...list: TestInstance[]) => list.map((i) => i.calls.getReservation ?? 0);
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => ConnectError.from(e));

describe("spreading calls", () => {
  it("round robin gives each of two instances 100 of 200 calls, sequential or 10 at a time", async () => {
    const [a, b] = await instances(2);
    const client = balanced([a!.url, b!.url], { policy: "round-robin" });
    for (let i = 0; i < 200; i++) await client.getReservation({ reservationId: ID });
    expect(served(a!, b!)).toEqual([100, 100]);
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 20; i++) await client.getReservation({ reservationId: ID });
    }));
    // Concurrent callers share one turn counter: still every other call, within 10%.
    for (const n of served(a!, b!)) expect(Math.abs(n - 200)).toBeLessThanOrEqual(20);
  });

  it("least-outstanding (the default) spreads evenly too, and avoids an instance whose calls hang", async () => {
    const [a, b] = await instances(2);
    const client = balanced([a!.url, b!.url]);
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 20; i++) await client.getReservation({ reservationId: ID });
    }));
    for (const n of served(a!, b!)) expect(Math.abs(n - 100)).toBeLessThanOrEqual(20);

    // Calls stuck on a: the next 100 go to b, where round robin would send a its half.
    a!.behaviour = "hang";
    const a0 = a!.calls.getReservation ?? 0;
    const stuck = Array.from({ length: 5 }, () => client.getReservation({ reservationId: ID }));
    await expect.poll(() => a!.calls.getReservation).toBeGreaterThan(a0);
    const before = served(a!, b!);
    for (let i = 0; i < 100; i++) await client.getReservation({ reservationId: ID });
    const after = served(a!, b!);
    expect(after[0]! - before[0]!).toBe(0);
    expect(after[1]! - before[1]!).toBe(100);
    a!.release();
    await Promise.all(stuck);
  });
});

describe("no instance", () => {
  it("is UNAVAILABLE naming the service, at once, when the resolver names none", async () => {
    const client = balanced([]);
    const t0 = Date.now();
    const err = await errorOf(client.getReservation({ reservationId: ID }));
    expect(err?.code).toBe(Code.Unavailable);
    expect(err?.rawMessage).toMatch(/no instance of reservation/);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it("is UNAVAILABLE after resolveTimeoutMs, not a hang, when the resolver never answers", async () => {
    const silent: InstanceResolver = { watch: () => () => {}, close: async () => {} };
    const client = balanced([], { resolver: silent, resolveTimeoutMs: 200 });
    const t0 = Date.now();
    const err = await errorOf(client.getReservation({ reservationId: ID }));
    expect(err?.code).toBe(Code.Unavailable);
    expect(err?.rawMessage).toMatch(/reservation/);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});

describe("an instance dies", () => {
  it("steady reads on 8 callers see no failure when one of two instances is killed", async () => {
    const [a, b] = await instances(2);
    const client = balanced([a!.url, b!.url]);
    let ok = 0;
    const failures: unknown[] = [];
    let stop = false;
    const loops = Array.from({ length: 8 }, async () => {
      while (!stop) {
        await client.getReservation({ reservationId: ID }).then(() => ok++, (e: unknown) => failures.push(e));
      }
    });
    await expect.poll(() => ok).toBeGreaterThan(200);
    b!.kill();
    const atKill = ok;
    await expect.poll(() => ok, { timeout: 10_000 }).toBeGreaterThan(atKill + 500);
    stop = true;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    expect(b!.calls.getReservation).toBeGreaterThan(50);
  });

  it("a write with an idempotency key in flight is sent again to the other instance", async () => {
    const [a, b] = await instances(2);
    a!.behaviour = "hang";
    const client = balanced([a!.url, b!.url], { policy: "round-robin" });
    const write = client.createReservation(booking("55555555-5555-4555-8555-555555555555"));
    await expect.poll(() => a!.calls.createReservation).toBe(1);
    a!.kill();
    const res = await write;
    expect(res.reservation?.guestId).toBe(b!.name);
    expect(res.reservation?.requestId).toBe("55555555-5555-4555-8555-555555555555");
    expect(b!.calls.createReservation).toBe(1);
  });

  it("a write without a key in flight is not sent again: the caller learns it failed", async () => {
    const [a, b] = await instances(2);
    a!.behaviour = "hang";
    const client = balanced([a!.url, b!.url], { policy: "round-robin" });
    const write = errorOf(client.cancelReservation(cancel));
    await expect.poll(() => a!.calls.cancelReservation).toBe(1);
    a!.kill();
    expect(await write).toBeInstanceOf(ConnectError);
    expect(b!.calls.cancelReservation).toBeUndefined();
  });

  it("any call whose connection is refused goes to another instance, a write without a key too", async () => {
    const [a] = await instances(1);
    const dead = `http://127.0.0.1:${await freePort()}`;
    const client = balanced([dead, a!.url], { policy: "round-robin" });
    for (let i = 0; i < 10; i++) await client.cancelReservation(cancel);
    expect(a!.calls.cancelReservation).toBe(10);
  });

  it("a server stream of a read opens on another instance when the first refuses it", async () => {
    const [a] = await instances(1);
    const dead = `http://127.0.0.1:${await freePort()}`;
    const client = balanced([dead, a!.url], { policy: "round-robin" });
    for (let i = 0; i < 4; i++) {
      const got: string[] = [];
      for await (const m of client.watchReservation({ reservationId: ID })) got.push(m.reservation?.guestId ?? "");
      expect(got).toEqual([a!.name]);
    }
  });

  it("an answer such as NOT_FOUND or an application UNAVAILABLE on a write is not retried", async () => {
    const [a, b] = await instances(2);
    a!.behaviour = "unavailable";
    b!.behaviour = "unavailable";
    const client = balanced([a!.url, b!.url], { policy: "round-robin" });
    expect((await errorOf(client.cancelReservation(cancel)))?.code).toBe(Code.Unavailable);
    expect((a!.calls.cancelReservation ?? 0) + (b!.calls.cancelReservation ?? 0)).toBe(1);
  });
});

describe("outlier ejection", () => {
  /** A clock the test moves. */
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it("ejects an instance after 3 failures in a row, readmits it after the period, and doubles the period on repeat", async () => {
    const [a, b] = await instances(2);
    const time = clock();
    const client = balanced([a!.url, b!.url], { policy: "round-robin", now: time.now, ejection: { consecutiveFailures: 3, baseMs: 1_000, maxMs: 10_000 } });
    a!.behaviour = "unavailable";
    // Reads that a fails are retried on b: the caller sees none of it.
    for (let i = 0; i < 20; i++) await client.getReservation({ reservationId: ID });
    expect(a!.calls.getReservation).toBe(3);
    expect(b!.calls.getReservation).toBe(20);

    // Back after the period (and well again): in turn with b.
    a!.behaviour = "ok";
    time.advance(999);
    for (let i = 0; i < 4; i++) await client.getReservation({ reservationId: ID });
    expect(a!.calls.getReservation).toBe(3);
    time.advance(1);
    for (let i = 0; i < 4; i++) await client.getReservation({ reservationId: ID });
    expect(a!.calls.getReservation).toBe(5);

    // Ejected again: this time for 2 s.
    a!.behaviour = "unavailable";
    for (let i = 0; i < 10; i++) await client.getReservation({ reservationId: ID });
    expect(a!.calls.getReservation).toBe(8);
    a!.behaviour = "ok";
    time.advance(1_500);
    for (let i = 0; i < 4; i++) await client.getReservation({ reservationId: ID });
    expect(a!.calls.getReservation).toBe(8);
    time.advance(500);
    for (let i = 0; i < 4; i++) await client.getReservation({ reservationId: ID });
    expect(a!.calls.getReservation).toBe(10);
  });

  it("an answer (NOT_FOUND, ...) is no failure of the instance", async () => {
    const [a, b] = await instances(2);
    const client = balanced([a!.url, b!.url], { policy: "round-robin", ejection: { consecutiveFailures: 2 } });
    // An invalid id is INVALID_ARGUMENT from the chassis: an answer, not an outage.
    for (let i = 0; i < 10; i++) expect((await errorOf(client.getReservation({ reservationId: "x" })))?.code).toBe(Code.InvalidArgument);
    for (let i = 0; i < 10; i++) await client.getReservation({ reservationId: ID });
    expect(served(a!, b!)).toEqual([5, 5]);
  });

  it("never ejects the last instance in rotation", async () => {
    const [a, b] = await instances(2);
    const time = clock();
    const client = balanced([a!.url, b!.url], { policy: "round-robin", now: time.now, ejection: { consecutiveFailures: 2, baseMs: 1_000 } });
    a!.behaviour = "unavailable";
    b!.behaviour = "unavailable";
    // Both fail every call; a reaches 2 in a row first and is ejected, b then is the last one.
    for (let i = 0; i < 6; i++) expect((await errorOf(client.getReservation({ reservationId: ID })))?.code).toBe(Code.Unavailable);
    a!.behaviour = "ok";
    b!.behaviour = "ok";
    time.advance(500);
    // a is still out; b was never ejected, so it takes every call (were both out, both would).
    const a0 = a!.calls.getReservation;
    for (let i = 0; i < 4; i++) await client.getReservation({ reservationId: ID });
    expect(a!.calls.getReservation).toBe(a0);
  });
});

describe("deadlines", () => {
  it("a retry runs within what is left of the caller's deadline, never past it", async () => {
    const [a, b] = await instances(2);
    // a fails after 500 ms; b never answers. With a 900 ms deadline the retry on b gets ~400 ms.
    a!.behaviour = { unavailableAfterMs: 500 };
    b!.behaviour = "hang";
    const client = balanced([a!.url, b!.url], { policy: "round-robin" });
    const t0 = Date.now();
    const err = await errorOf(client.getReservation({ reservationId: ID }, { timeoutMs: 900 }));
    const took = Date.now() - t0;
    expect(err?.code).toBe(Code.DeadlineExceeded);
    expect(b!.calls.getReservation).toBe(1);
    // A retry given the whole 900 ms again would end near 1 400 ms.
    expect(took).toBeGreaterThanOrEqual(850);
    expect(took).toBeLessThan(1_250);
  });

  it("the default deadline bounds the whole call, retries included", async () => {
    const [a, b] = await instances(2);
    a!.behaviour = { unavailableAfterMs: 300 };
    b!.behaviour = "hang";
    const client = balanced([a!.url, b!.url], { policy: "round-robin", defaultTimeoutMs: 600 });
    const t0 = Date.now();
    expect((await errorOf(client.getReservation({ reservationId: ID })))?.code).toBe(Code.DeadlineExceeded);
    expect(Date.now() - t0).toBeLessThan(950);
  });
});

describe("createServiceClient", () => {
  it("balances over comma-separated URLs", async () => {
    const [a, b] = await instances(2);
    const client = createServiceClient(ReservationService, `${a!.url},${b!.url}`);
    for (let i = 0; i < 20; i++) await client.getReservation({ reservationId: ID });
    expect(served(a!, b!)).toEqual([10, 10]);
  });

  it("follows a resolver: instances that join take calls, instances that leave get none", async () => {
    const [a, b] = await instances(2);
    let push: (list: readonly ServiceInstance[]) => void = () => {};
    const resolver: InstanceResolver = {
      watch(_service, onChange) {
        push = onChange;
        queueMicrotask(() => onChange([{ id: "a", url: a!.url }]));
        return () => {};
      },
      close: async () => {},
    };
    const client = createServiceClient(ReservationService, { resolver, service: "reservation" });
    for (let i = 0; i < 10; i++) await client.getReservation({ reservationId: ID });
    push([{ id: "a", url: a!.url }, { id: "b", url: b!.url }]);
    for (let i = 0; i < 10; i++) await client.getReservation({ reservationId: ID });
    push([{ id: "b", url: b!.url }]);
    for (let i = 0; i < 10; i++) await client.getReservation({ reservationId: ID });
    expect(served(a!, b!)).toEqual([15, 15]);
  });

  it("keeps the single-URL form", async () => {
    const [a] = await instances(1);
    const client = createServiceClient(ReservationService, a!.url);
    await client.getReservation({ reservationId: ID });
    expect(a!.calls.getReservation).toBe(1);
  });
});
