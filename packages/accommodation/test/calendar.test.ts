import { describe, expect, it } from "vitest";
import { calendarDay, checkBookable, nightlyPrices, stayPrice } from "../src/domain/calendar.js";
import type { CalendarDay, InventoryNight } from "../src/domain/calendar.js";
import { planCalendarUpdate, selectedNights } from "../src/domain/calendar-update.js";
import { newRoomType } from "../src/domain/room-type.js";
import type { RoomType } from "../src/domain/room-type.js";
import { parseStay } from "../src/domain/stay.js";
import { roomTypeInput, t0, thrown } from "./fixtures.js";

const room: RoomType = { ...newRoomType(roomTypeInput(5), { id: "p1", currency: "KRW" }, t0), id: "r1" };
const row = (night: string, over: Partial<InventoryNight> = {}): InventoryNight => ({
  night, unitsTotal: 5, unitsHeld: 0, unitsBooked: 0, priceOverrideMinor: undefined, minStayNights: 0,
  closedToArrival: false, closedToDeparture: false, ...over,
});
const stay = parseStay("2026-06-01", "2026-06-04", "2026-05-01");
const days = (overrides: Record<string, Partial<InventoryNight>> = {}): CalendarDay[] =>
  stay.nights.map((n) => calendarDay(room, n, row(n, overrides[n])));

describe("calendarDay", () => {
  it("defaults a night without a row to every unit at the base price", () => {
    expect(calendarDay(room, "2026-06-01", undefined)).toMatchObject({ availableUnits: 5, remainingUnits: 5, price: { amountMinor: 120_000 }, priceOverridden: false });
  });

  it("never reports fewer than zero remaining units", () => {
    expect(calendarDay(room, "2026-06-01", row("2026-06-01", { unitsTotal: 2, unitsHeld: 2, unitsBooked: 1 })).remainingUnits).toBe(0);
  });
});

describe("prices", () => {
  it("uses the override where there is one and totals per unit", () => {
    const nightly = nightlyPrices(room, stay.nights, days({ "2026-06-02": { priceOverrideMinor: 150_001 } }));
    expect(nightly.map((n) => n.price.amountMinor)).toEqual([120_000, 150_001, 120_000]);
    const price = stayPrice(nightly, 2, "KRW");
    expect(price.total).toEqual({ amountMinor: 780_002, currency: "KRW" });
    expect(price.averageNightly.amountMinor).toBe(130_000);
  });
});

describe("weekend prices", () => {
  const weekendRoom: RoomType = { ...room, weekendPrice: { amountMinor: 160_000, currency: "KRW" } };

  it("price Friday and Saturday nights without an override at the weekend price, and leave the rest to the override or base", () => {
    // 2026-06-04 is a Thursday.
    const nights = ["2026-06-04", "2026-06-05", "2026-06-06", "2026-06-07"];
    const calendar = nights.map((n) => calendarDay(weekendRoom, n, n === "2026-06-06" ? row(n, { priceOverrideMinor: 140_000 }) : undefined));
    expect(calendar.map((d) => [d.price.amountMinor, d.priceOverridden])).toEqual([[120_000, false], [160_000, false], [140_000, true], [120_000, false]]);
    expect(stayPrice(nightlyPrices(weekendRoom, nights, calendar), 1, "KRW").total.amountMinor).toBe(540_000);
  });
});

describe("checkBookable", () => {
  it.each<[string, Record<string, Partial<InventoryNight>>, number, ReturnType<typeof checkBookable>]>([
    ["a free calendar", {}, 5, undefined],
    ["one night sold out", { "2026-06-02": { unitsHeld: 3, unitsBooked: 1 } }, 2, { date: "2026-06-02", reason: "sold_out" }],
    ["the earliest of two sold-out nights", { "2026-06-03": { unitsTotal: 0 }, "2026-06-02": { unitsTotal: 0 } }, 1, { date: "2026-06-02", reason: "sold_out" }],
    ["a closed arrival night", { "2026-06-01": { closedToArrival: true } }, 1, { date: "2026-06-01", reason: "closed_to_arrival" }],
    ["a longer minimum stay", { "2026-06-01": { minStayNights: 4 } }, 1, { date: "2026-06-01", reason: "min_stay" }],
    ["a minimum stay on a later night", { "2026-06-02": { minStayNights: 4 } }, 1, undefined],
  ])("judges %s", (_what, overrides, units, expected) => {
    expect(checkBookable(stay, days(overrides), units)).toEqual(expected);
  });

  it("refuses a departure on a night closed to departure", () => {
    const departure = calendarDay(room, "2026-06-04", row("2026-06-04", { closedToDeparture: true }));
    expect(checkBookable(stay, days(), 1, departure)).toEqual({ date: "2026-06-04", reason: "closed_to_departure" });
  });
});

describe("planCalendarUpdate", () => {
  const base = { startDate: "2026-06-01", endDate: "2026-06-08", weekdays: [], settings: {}, mask: ["min_stay_nights"] };

  it("keeps only the masked settings, removing an override named without a value", () => {
    const plan = planCalendarUpdate({ ...base, settings: { minStayNights: 2, closedToArrival: true }, mask: ["min_stay_nights", "price_override"] }, { unitCount: 5, currency: "KRW" }, "2026-06-01");
    expect(plan.set).toEqual({ minStayNights: 2, priceOverrideMinor: null });
  });

  it("selects only the given weekdays", () => {
    const plan = planCalendarUpdate({ ...base, weekdays: [6, 7] }, { unitCount: 5, currency: "KRW" }, "2026-06-01");
    expect(selectedNights(plan)).toEqual(["2026-06-06", "2026-06-07"]);
  });

  it.each([
    ["a past start", { startDate: "2026-05-31" }, "invalid", "start_date"],
    ["an empty range", { endDate: "2026-06-01" }, "invalid", "end_date"],
    ["more than 366 nights", { endDate: "2027-06-03" }, "invalid", "end_date"],
    ["an unknown mask path", { mask: ["price"] }, "invalid", "update_mask.paths[0]"],
    ["a negative price", { mask: ["price_override"], settings: { priceOverride: { amountMinor: -1, currency: "KRW" } } }, "invalid", "settings.price_override.amount_minor"],
    ["a price in another currency", { mask: ["price_override"], settings: { priceOverride: { amountMinor: 1, currency: "USD" } } }, "invalid", "settings.price_override.currency_code"],
    ["more units than the room type has", { mask: ["available_units"], settings: { availableUnits: 6 } }, "precondition", "settings.available_units"],
  ])("refuses %s", (_what, over, kind, field) => {
    const err = thrown(() => planCalendarUpdate({ ...base, ...over }, { unitCount: 5, currency: "KRW" }, "2026-06-01"));
    expect(err.kind).toBe(kind);
    expect(err.details.violations?.[0].field).toBe(field);
  });
});
