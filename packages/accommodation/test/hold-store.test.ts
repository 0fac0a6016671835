import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCalendarStore } from "../src/store/calendar-store.js";
import type { CalendarStore } from "../src/store/calendar-store.js";
import { createHoldStore } from "../src/store/hold-store.js";
import type { HoldInventoryInput, HoldStore } from "../src/store/hold-store.js";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";
import { at, listedRoomType, rejection, t0 } from "./fixtures.js";

let testDb: TestDb;
let holds: HoldStore;
let calendar: CalendarStore;

beforeAll(async () => {
  testDb = await openTestDb("acc_hold_store");
  holds = createHoldStore(testDb.db);
  calendar = createCalendarStore(testDb.db);
});
afterAll(() => testDb?.close());

async function setup(units = 3) {
  const { property, roomType } = await listedRoomType(testDb.db, units);
  const request = (over: Partial<HoldInventoryInput> = {}): HoldInventoryInput => ({
    reservationId: randomUUID(),
    propertyId: property.id,
    roomTypeId: roomType.id,
    checkIn: "2026-05-01",
    checkOut: "2026-05-03",
    units: 1,
    guests: { adults: 2, children: 0 },
    ...over,
  });
  const counts = async () =>
    (await calendar.read(roomType.id, "2026-05-01", "2026-05-03")).map((d) => [d.heldUnits, d.bookedUnits]);
  return { property, roomType, request, counts };
}

describe("hold", () => {
  it("takes units off every night and snapshots the price and terms", async () => {
    const { property, roomType, request, counts } = await setup();
    const hold = await holds.hold(request({ units: 2 }), t0);
    expect(hold).toMatchObject({
      status: "held",
      units: 2,
      hostId: property.ownerId,
      roomTypeName: roomType.name,
      cancellationPolicy: "moderate",
      timeZone: "Asia/Seoul",
      expiresAt: at(15 * 60),
    });
    expect(hold.price.total).toEqual({ amountMinor: 480_000, currency: "KRW" });
    expect(hold.price.nights.map((n) => n.date)).toEqual(["2026-05-01", "2026-05-02"]);
    expect(await counts()).toEqual([[2, 0], [2, 0]]);
  });

  it("returns the existing hold when the same reservation asks again, without holding twice", async () => {
    const { request, counts } = await setup();
    const req = request();
    const first = await holds.hold(req, t0);
    expect(await holds.hold(req, at(5))).toEqual(first);
    expect(await counts()).toEqual([[1, 0], [1, 0]]);
  });

  it("refuses the same reservation with other arguments as already existing", async () => {
    const { request } = await setup();
    const req = request();
    await holds.hold(req, t0);
    expect((await rejection(holds.hold({ ...req, units: 2 }, t0))).kind).toBe("already_exists");
  });

  it("names the first sold-out night and holds nothing", async () => {
    const { request, counts, roomType } = await setup(1);
    await holds.hold(request({ checkIn: "2026-05-02", checkOut: "2026-05-03" }), t0);
    const err = await rejection(holds.hold(request(), t0));
    expect(err).toMatchObject({ kind: "precondition", message: "not enough units free on the night of 2026-05-02" });
    expect(err.details.reason).toBe("ROOMS_UNAVAILABLE");
    expect(await counts()).toEqual([[0, 0], [1, 0]]);
    expect(roomType.unitCount).toBe(1);
  });

  it.each([
    ["a party too big for the units", { guests: { adults: 5, children: 0 } }, "OCCUPANCY_EXCEEDED"],
  ])("refuses %s", async (_what, over, reason) => {
    const { request } = await setup();
    expect((await rejection(holds.hold(request(over), t0))).details.reason).toBe(reason);
  });

  it.each([
    ["check-out before check-in", { checkIn: "2026-05-03", checkOut: "2026-05-01" }],
    ["a stay over 30 nights", { checkIn: "2026-05-01", checkOut: "2026-06-01" }],
    ["a stay in the past", { checkIn: "2026-02-01", checkOut: "2026-02-02" }],
  ])("refuses %s as invalid", async (_what, over) => {
    const { request } = await setup();
    expect((await rejection(holds.hold(request(over), t0))).kind).toBe("invalid");
  });
});

describe("confirm, release and expiry", () => {
  it("moves confirmed units from held to booked, idempotently", async () => {
    const { request, counts } = await setup();
    const req = request();
    await holds.hold(req, t0);
    const confirmed = await holds.confirm(req.reservationId, at(60));
    expect(confirmed).toMatchObject({ status: "confirmed", confirmedAt: at(60) });
    expect(await holds.confirm(req.reservationId, at(61))).toEqual(confirmed);
    expect(await counts()).toEqual([[0, 1], [0, 1]]);
  });

  it("gives held and booked units back on release, and a second release changes nothing", async () => {
    const { request, counts } = await setup();
    const held = request();
    const booked = request();
    await holds.hold(held, t0);
    await holds.hold(booked, t0);
    await holds.confirm(booked.reservationId, at(1));
    expect(await holds.release(held.reservationId, "reservation_failed", at(2))).toMatchObject({ status: "released", releaseReason: "reservation_failed" });
    expect(await holds.release(booked.reservationId, "reservation_cancelled", at(3))).toMatchObject({ status: "released" });
    expect(await holds.release(booked.reservationId, "reservation_cancelled", at(4))).toMatchObject({ releasedAt: at(3) });
    expect(await counts()).toEqual([[0, 0], [0, 0]]);
  });

  it("records a release of an unknown reservation so that its late hold fails", async () => {
    const { request, counts } = await setup();
    const req = request();
    expect(await holds.release(req.reservationId, "reservation_failed", t0)).toBeUndefined();
    expect((await rejection(holds.hold(req, t0))).details.reason).toBe("HOLD_RELEASED");
    expect(await counts()).toEqual([[0, 0], [0, 0]]);
  });

  it("expires lapsed holds, which then cannot be confirmed", async () => {
    const { request, counts } = await setup();
    const req = request({ ttlSeconds: 60 });
    await holds.hold(req, t0);
    expect(await holds.expire(at(59), 100)).toEqual([]);
    expect((await rejection(holds.confirm(req.reservationId, at(60)))).details.reason).toBe("HOLD_EXPIRED");
    const expired = await holds.expire(at(60), 100);
    expect(expired.map((h) => [h.reservationId, h.status])).toEqual([[req.reservationId, "expired"]]);
    expect(await counts()).toEqual([[0, 0], [0, 0]]);
    expect((await rejection(holds.confirm(req.reservationId, at(61)))).details.reason).toBe("HOLD_EXPIRED");
  });

  it("does not find a hold for an unknown reservation", async () => {
    expect(await holds.get(randomUUID())).toBeUndefined();
    expect((await rejection(holds.confirm(randomUUID(), t0))).kind).toBe("not_found");
  });
});
