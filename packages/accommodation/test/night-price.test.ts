import { describe, expect, it } from "vitest";
import { fromPriceMinor, isWeekendNight, nightKinds, nightPrice } from "../src/domain/night-price.js";

const krw = (amountMinor: number) => ({ amountMinor, currency: "KRW" });
const withWeekend = { basePrice: krw(100_000), weekendPrice: krw(130_000) };
const baseOnly = { basePrice: krw(100_000), weekendPrice: undefined };

// 2026-04-09 is a Thursday.
describe("nightPrice", () => {
  it.each<[string, string, number | undefined, typeof withWeekend | typeof baseOnly, number]>([
    ["a Thursday night", "2026-04-09", undefined, withWeekend, 100_000],
    ["a Friday night", "2026-04-10", undefined, withWeekend, 130_000],
    ["a Saturday night", "2026-04-11", undefined, withWeekend, 130_000],
    ["a Sunday night", "2026-04-12", undefined, withWeekend, 100_000],
    ["a Saturday night without a weekend price", "2026-04-11", undefined, baseOnly, 100_000],
    ["an overridden Saturday night", "2026-04-11", 90_000, withWeekend, 90_000],
    ["an overridden Monday night", "2026-04-13", 150_000, withWeekend, 150_000],
    ["a Friday overridden to zero", "2026-04-10", 0, withWeekend, 0],
  ])("prices %s", (_what, night, override, prices, expected) => {
    expect(nightPrice(override, prices, night)).toEqual(krw(expected));
  });

  it("prices a weekend below the base price as set", () => {
    expect(nightPrice(undefined, { basePrice: krw(100_000), weekendPrice: krw(80_000) }, "2026-04-10")).toEqual(krw(80_000));
  });
});

describe("weekend nights", () => {
  it("are Friday and Saturday nights only", () => {
    const week = ["2026-04-06", "2026-04-07", "2026-04-08", "2026-04-09", "2026-04-10", "2026-04-11", "2026-04-12"];
    expect(week.map(isWeekendNight)).toEqual([false, false, false, false, true, true, false]);
  });

  it.each([
    ["2026-04-09", "2026-04-12", 1, 2],
    ["2026-04-11", "2026-04-12", 0, 1],
    ["2026-04-12", "2026-04-17", 5, 0],
    ["2026-04-01", "2026-04-30", 21, 8],
  ])("splits the nights from %s to %s into %i weekday and %i weekend nights", (checkIn, checkOut, weekdays, weekends) => {
    expect(nightKinds(checkIn, checkOut)).toEqual({ weekdays, weekends });
  });
});

describe("fromPriceMinor", () => {
  it.each([
    ["the base price without a weekend price", baseOnly, 100_000],
    ["the base price below a weekend premium", withWeekend, 100_000],
    ["a weekend price below the base price", { basePrice: krw(100_000), weekendPrice: krw(70_000) }, 70_000],
  ])("is %s", (_what, prices, expected) => {
    expect(fromPriceMinor(prices)).toBe(expected);
  });
});
