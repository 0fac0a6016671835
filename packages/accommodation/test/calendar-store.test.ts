import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRoomTypePatch } from "../src/domain/room-type-patch.js";
import { createCalendarStore } from "../src/store/calendar-store.js";
import type { CalendarStore } from "../src/store/calendar-store.js";
import { createHoldStore } from "../src/store/hold-store.js";
import { createRoomTypeStore } from "../src/store/room-type-store.js";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";
import { at, listedRoomType, rejection, t0 } from "./fixtures.js";

let testDb: TestDb;
let calendar: CalendarStore;
const today = "2026-03-01";

beforeAll(async () => {
  testDb = await openTestDb("acc_calendar_store");
  calendar = createCalendarStore(testDb.db);
});
afterAll(() => testDb?.close());

describe("calendar", () => {
  it("falls back to the room type's units and base price on nights nobody configured", async () => {
    const { roomType } = await listedRoomType(testDb.db, 4);
    const days = await calendar.read(roomType.id, "2026-06-01", "2026-06-03");
    expect(days).toEqual(
      ["2026-06-01", "2026-06-02"].map((date) => ({
        date, availableUnits: 4, heldUnits: 0, bookedUnits: 0, remainingUnits: 4,
        price: { amountMinor: 120_000, currency: "KRW" }, priceOverridden: false,
        minStayNights: 0, closedToArrival: false, closedToDeparture: false,
      })),
    );
  });

  it("writes the masked settings to the selected weekdays of a range and nothing else", async () => {
    const { roomType } = await listedRoomType(testDb.db, 4);
    // 2026-06-05 is a Friday, 06-06 a Saturday.
    const days = await calendar.update(
      roomType.id,
      { startDate: "2026-06-01", endDate: "2026-06-08", weekdays: [5, 6], settings: { priceOverride: { amountMinor: 150_000, currency: "KRW" }, minStayNights: 2, availableUnits: 3 }, mask: ["price_override", "available_units"] },
      today,
    );
    const changed = days.filter((d) => d.priceOverridden).map((d) => [d.date, d.price.amountMinor, d.availableUnits, d.minStayNights]);
    expect(changed).toEqual([["2026-06-05", 150_000, 3, 0], ["2026-06-06", 150_000, 3, 0]]);
    expect(days.filter((d) => !d.priceOverridden).every((d) => d.availableUnits === 4)).toBe(true);
    const cleared = await calendar.update(roomType.id, { startDate: "2026-06-05", endDate: "2026-06-06", weekdays: [], settings: {}, mask: ["price_override"] }, today);
    expect(cleared[0]).toMatchObject({ priceOverridden: false, price: { amountMinor: 120_000 }, availableUnits: 3 });
  });

  it("refuses past nights as invalid and changes nothing", async () => {
    const { roomType } = await listedRoomType(testDb.db, 4);
    const err = await rejection(calendar.update(roomType.id, { startDate: "2026-02-27", endDate: "2026-03-03", weekdays: [], settings: { closedToArrival: true }, mask: ["closed_to_arrival"] }, today));
    expect(err.kind).toBe("invalid");
    expect(err.details.violations?.[0].field).toBe("start_date");
    expect((await calendar.read(roomType.id, "2026-03-01", "2026-03-03")).some((d) => d.closedToArrival)).toBe(false);
  });

  it("refuses fewer units than are held and booked, or more than the room type has", async () => {
    const { property, roomType } = await listedRoomType(testDb.db, 4);
    const holds = createHoldStore(testDb.db);
    await holds.hold({ reservationId: randomUUID(), propertyId: property.id, roomTypeId: roomType.id, checkIn: "2026-06-02", checkOut: "2026-06-03", units: 3, guests: { adults: 2, children: 0 } }, t0);
    const set = (units: number) => calendar.update(roomType.id, { startDate: "2026-06-01", endDate: "2026-06-04", weekdays: [], settings: { availableUnits: units }, mask: ["available_units"] }, today);
    const below = await rejection(set(2));
    expect(below).toMatchObject({ kind: "precondition", message: "3 units are already held or booked on 2026-06-02" });
    expect((await rejection(set(5))).kind).toBe("precondition");
    expect((await set(3)).map((d) => d.remainingUnits)).toEqual([3, 0, 3]);
  });

  it("makes the nights follow a room type's new unit count, but not below what is committed", async () => {
    const { property, roomType } = await listedRoomType(testDb.db, 4);
    const rooms = createRoomTypeStore(testDb.db);
    await createHoldStore(testDb.db).hold({ reservationId: randomUUID(), propertyId: property.id, roomTypeId: roomType.id, checkIn: "2026-06-02", checkOut: "2026-06-03", units: 2, guests: { adults: 2, children: 0 } }, t0);
    const setUnits = (n: number) => rooms.updateRoomType(roomType.id, undefined, (r) => applyRoomTypePatch(r, { unitCount: n }, ["unit_count"], "KRW", at(1)), today);
    expect((await rejection(setUnits(1))).kind).toBe("precondition");
    await setUnits(6);
    expect((await calendar.read(roomType.id, "2026-06-01", "2026-06-03")).map((d) => d.availableUnits)).toEqual([6, 6]);
  });
});
