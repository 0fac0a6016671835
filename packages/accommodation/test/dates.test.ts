import { describe, expect, it } from "vitest";
import { addDays, isoWeekday, isTimeZone, localDate } from "../src/domain/dates.js";

describe("dates", () => {
  it.each([
    ["2026-02-28", 1, "2026-03-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2026-01-01", -1, "2025-12-31"],
  ])("%s plus %i days is %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ["2026-06-01", 1],
    ["2026-06-07", 7],
  ])("%s falls on ISO weekday %i", (date, weekday) => {
    expect(isoWeekday(date)).toBe(weekday);
  });

  it.each([
    ["2026-03-01T14:59:59Z", "Asia/Seoul", "2026-03-01"],
    ["2026-03-01T15:00:00Z", "Asia/Seoul", "2026-03-02"],
    ["2026-03-01T04:00:00Z", "America/New_York", "2026-02-28"],
  ])("at %s in %s it is %s", (instant, tz, expected) => {
    expect(localDate(new Date(instant), tz)).toBe(expected);
  });

  it("knows IANA zones and nothing else", () => {
    expect(isTimeZone("Asia/Seoul")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
