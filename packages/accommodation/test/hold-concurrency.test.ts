import { randomUUID } from "node:crypto";
import { DomainError } from "@triphub/platform/domain-error";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccommodationDb } from "../src/store/db.js";
import { createCalendarStore } from "../src/store/calendar-store.js";
import { createHoldStore } from "../src/store/hold-store.js";
import type { HoldStore } from "../src/store/hold-store.js";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";
import { at, listedRoomType, t0 } from "./fixtures.js";

// Several pools, as several service instances would have: their transactions really overlap
// in PostgreSQL instead of queueing on one connection.
const POOLS = 4;
const CONNECTIONS_PER_POOL = 10;

let main: TestDb;
let pools: TestDb[] = [];
let stores: HoldStore[] = [];

beforeAll(async () => {
  main = await openTestDb("acc_hold_concurrency");
  pools = await Promise.all(Array.from({ length: POOLS }, () => main.connect(CONNECTIONS_PER_POOL)));
  stores = pools.map((p) => createHoldStore(p.db));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await main?.close();
});

const guests = { adults: 1, children: 0 };

/** Per night: the counters, and what the holds table says they must be. */
async function ledger(db: AccommodationDb, roomTypeId: string) {
  const rows = await db.execute<{ night: string; total: number; held: number; booked: number; want_held: number; want_booked: number }>(sql`
    select i.night::text as night, i.units_total as total, i.units_held as held, i.units_booked as booked,
      coalesce(sum(h.units) filter (where h.status = 'held'), 0)::int as want_held,
      coalesce(sum(h.units) filter (where h.status = 'confirmed'), 0)::int as want_booked
    from inventory i
    left join holds h on h.room_type_id = i.room_type_id and i.night >= h.check_in and i.night < h.check_out
    where i.room_type_id = ${roomTypeId}::uuid
    group by i.night, i.units_total, i.units_held, i.units_booked
    order by i.night`);
  return [...rows];
}

function expectOnlyPreconditions(results: PromiseSettledResult<unknown>[]): void {
  for (const r of results) {
    if (r.status === "rejected") {
      // Anything but a business refusal (a deadlock, a CHECK violation, a lost row) fails here.
      expect(r.reason).toBeInstanceOf(DomainError);
      expect((r.reason as DomainError).kind).toBe("precondition");
    }
  }
}

describe("hundreds of concurrent holds on the last units", () => {
  it("lets exactly as many 1-unit holds succeed as there are units, and the calendar balances", async () => {
    const { property, roomType } = await listedRoomType(main.db, 7);
    const attempts = 300;
    const results = await Promise.allSettled(
      Array.from({ length: attempts }, (_, i) =>
        stores[i % POOLS].hold(
          { reservationId: randomUUID(), propertyId: property.id, roomTypeId: roomType.id, checkIn: "2026-04-10", checkOut: "2026-04-13", units: 1, guests },
          t0,
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
    expectOnlyPreconditions(results);
    for (const r of results) {
      if (r.status === "rejected") expect((r.reason as DomainError).details.reason).toBe("ROOMS_UNAVAILABLE");
    }
    const days = await createCalendarStore(main.db).read(roomType.id, "2026-04-10", "2026-04-13");
    for (const d of days) {
      expect(d).toMatchObject({ availableUnits: 7, heldUnits: 7, bookedUnits: 0, remainingUnits: 0 });
      expect(d.heldUnits + d.bookedUnits + d.remainingUnits).toBe(d.availableUnits);
    }
    for (const n of await ledger(main.db, roomType.id)) expect([n.held, n.booked]).toEqual([n.want_held, n.want_booked]);
  });

  it("never takes a night below zero or loses a unit in a storm of overlapping holds, confirms, releases and expiries", async () => {
    const { property, roomType } = await listedRoomType(main.db, 5);
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const nights = ["2026-04-01", "2026-04-02", "2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06"];
    const actor = async (i: number) => {
      const store = stores[i % POOLS];
      const reservationId = randomUUID();
      const start = rand(nights.length - 1);
      const length = 1 + rand(Math.min(3, nights.length - start));
      const end = start + length < nights.length ? nights[start + length] : "2026-04-07";
      await store.hold(
        { reservationId, propertyId: property.id, roomTypeId: roomType.id, checkIn: nights[start], checkOut: end, units: 1 + rand(2), guests, ttlSeconds: 10 },
        t0,
      );
      const next = rand(4);
      if (next === 0) await store.release(reservationId, "reservation_failed", at(1));
      if (next >= 1) await store.confirm(reservationId, at(1));
      // Some confirmed stays are cancelled again; the rest stay booked or lapse unconfirmed.
      if (next === 2) await store.release(reservationId, "reservation_cancelled", at(2));
    };
    const sweeper = async (i: number) => {
      await stores[i % POOLS].expire(at(11), 5);
    };
    // Inventory rows appear with the first successful hold of a night; which holds win depends
    // on scheduling, so lay down every night's row first to make the final ledger complete.
    const warmUp = randomUUID();
    await stores[0].hold(
      { reservationId: warmUp, propertyId: property.id, roomTypeId: roomType.id, checkIn: nights[0], checkOut: "2026-04-07", units: 1, guests },
      t0,
    );
    await stores[0].release(warmUp, "reservation_failed", t0);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 400; i++) work.push(i % 10 === 9 ? sweeper(i) : actor(i));
    const results = await Promise.allSettled(work);
    expectOnlyPreconditions(results);
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThan(40);
    // Drain the lapsed holds, then every counter must equal what the holds say it is.
    while ((await stores[0].expire(at(11), 100)).length > 0);
    const ledgerRows = await ledger(main.db, roomType.id);
    expect(ledgerRows.length).toBe(nights.length);
    for (const n of ledgerRows) {
      expect([n.night, n.held, n.booked]).toEqual([n.night, n.want_held, n.want_booked]);
      expect(n.held).toBe(0);
      expect(n.booked).toBeGreaterThanOrEqual(0);
      expect(n.booked).toBeLessThanOrEqual(n.total);
    }
  });
});
