import { describe, expect, it } from "vitest";
import { applyRoomTypePatch } from "../src/domain/room-type-patch.js";
import { checkUnitCount, fitsParty, newRoomType } from "../src/domain/room-type.js";
import type { RoomType } from "../src/domain/room-type.js";
import { at, roomTypeInput, t0, thrown } from "./fixtures.js";

const property = { id: "p1", currency: "KRW" };
const room: RoomType = { ...newRoomType(roomTypeInput(4), property, t0), id: "r1" };

describe("newRoomType", () => {
  it("creates version 1 in the property's currency", () => {
    expect(room).toMatchObject({ propertyId: "p1", unitCount: 4, version: 1, basePrice: { amountMinor: 120_000, currency: "KRW" } });
  });

  it.each([
    ["no units", { unitCount: 0 }, "room_type.unit_count"],
    ["a negative price", { basePrice: { amountMinor: -5, currency: "KRW" } }, "room_type.base_nightly_price.amount_minor"],
    ["a fractional price", { basePrice: { amountMinor: 1.5, currency: "KRW" } }, "room_type.base_nightly_price.amount_minor"],
    ["another currency", { basePrice: { amountMinor: 100, currency: "USD" } }, "room_type.base_nightly_price.currency_code"],
    ["an unknown bed", { beds: [{ type: "hammock", count: 1 }] }, "room_type.beds[0].type"],
    ["an unknown amenity", { amenities: ["jacuzzi"] }, "room_type.amenities"],
    ["no adults", { maxAdults: 0 }, "room_type.max_adults"],
    ["a zero weekend price", { weekendPrice: { amountMinor: 0, currency: "KRW" } }, "room_type.weekend_nightly_price.amount_minor"],
    ["a negative weekend price", { weekendPrice: { amountMinor: -1, currency: "KRW" } }, "room_type.weekend_nightly_price.amount_minor"],
    ["a weekend price in another currency", { weekendPrice: { amountMinor: 100, currency: "USD" } }, "room_type.weekend_nightly_price.currency_code"],
  ])("refuses %s", (_what, over, field) => {
    const err = thrown(() => newRoomType(roomTypeInput(4, over), property, t0));
    expect(err.details.violations?.map((v) => v.field)).toContain(field);
  });
});

describe("applyRoomTypePatch", () => {
  it("changes the masked unit count, even to zero", () => {
    expect(applyRoomTypePatch(room, {}, ["unit_count"], "KRW", at(1))).toMatchObject({ unitCount: 0, version: 2 });
  });

  it("ignores zero values without a mask", () => {
    expect(applyRoomTypePatch(room, { unitCount: 0, name: "Suite" }, undefined, "KRW", at(1))).toMatchObject({ unitCount: 4, name: "Suite" });
  });

  it("refuses to clear the base price", () => {
    expect(thrown(() => applyRoomTypePatch(room, {}, ["base_nightly_price"], "KRW", at(1))).kind).toBe("invalid");
  });

  const weekend = { amountMinor: 150_000, currency: "KRW" };
  const priced = applyRoomTypePatch(room, { weekendPrice: weekend }, ["weekend_nightly_price"], "KRW", at(1));

  it("sets the weekend price under its mask path, or when populated without a mask", () => {
    expect(priced).toMatchObject({ weekendPrice: weekend, basePrice: room.basePrice, version: 2 });
    expect(applyRoomTypePatch(room, { weekendPrice: weekend }, undefined, "KRW", at(1)).weekendPrice).toEqual(weekend);
  });

  it("clears the weekend price named in the mask without a value, and keeps it when the mask leaves it out", () => {
    expect(applyRoomTypePatch(priced, {}, ["weekend_nightly_price"], "KRW", at(2))).toMatchObject({ weekendPrice: undefined, version: 3 });
    expect(applyRoomTypePatch(priced, { name: "Suite" }, undefined, "KRW", at(2)).weekendPrice).toEqual(weekend);
    expect(applyRoomTypePatch(priced, { name: "Suite" }, ["name"], "KRW", at(2)).weekendPrice).toEqual(weekend);
  });

  it("refuses a weekend price in another currency than the property's, naming the field", () => {
    const err = thrown(() => applyRoomTypePatch(room, { weekendPrice: { amountMinor: 100, currency: "USD" } }, ["weekend_nightly_price"], "KRW", at(1)));
    expect(err.details.violations?.map((v) => v.field)).toEqual(["room_type.weekend_nightly_price.currency_code"]);
  });
});

describe("unit count and occupancy", () => {
  it("refuses fewer units than are committed on a night", () => {
    expect(() => checkUnitCount(3, { night: "2026-06-01", units: 3 })).not.toThrow();
    expect(thrown(() => checkUnitCount(2, { night: "2026-06-01", units: 3 })).kind).toBe("precondition");
  });

  it.each([
    [1, 2, 1, true],
    [1, 3, 0, false],
    [1, 2, 2, false],
    [2, 3, 2, true],
  ])("%i unit(s) of 2 adults + 1 child sleep %i adults and %i children: %s", (units, adults, children, fits) => {
    expect(fitsParty({ maxAdults: 2, maxChildren: 1 }, units, { adults, children })).toBe(fits);
  });
});
