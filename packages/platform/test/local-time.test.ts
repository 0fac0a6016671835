import { describe, expect, it } from "vitest";
import { localTimeToInstant, wallClock } from "../src/stay-rules/local-time.js";

describe("localTimeToInstant", () => {
  it.each([
    ["2026-07-01", "15:00", "Asia/Seoul", "2026-07-01T06:00:00.000Z"],
    ["2026-07-01", "15:00", "Europe/Paris", "2026-07-01T13:00:00.000Z"],
    ["2026-01-15", "15:00", "Europe/Paris", "2026-01-15T14:00:00.000Z"],
    ["2026-03-29", "03:30", "Europe/Paris", "2026-03-29T01:30:00.000Z"],
  ])("check-in on %s at %s in %s is %s", (date, time, tz, expected) => {
    expect(localTimeToInstant(date, time, tz).toISOString()).toBe(expected);
  });

  it("throws for a day that is not on the calendar", () => {
    expect(() => localTimeToInstant("2026-02-30", "15:00", "Asia/Seoul")).toThrow(RangeError);
  });
});

describe("wallClock", () => {
  it.each([
    ["2026-03-01T14:59:59Z", "Asia/Seoul", { year: 2026, month: 3, day: 1, hour: 23, minute: 59, second: 59 }],
    ["2026-03-01T15:00:00Z", "Asia/Seoul", { year: 2026, month: 3, day: 2, hour: 0, minute: 0, second: 0 }],
    ["2026-03-29T01:30:00Z", "Europe/Paris", { year: 2026, month: 3, day: 29, hour: 3, minute: 30, second: 0 }],
  ])("at %s in %s reads %o", (instant, tz, expected) => {
    expect(wallClock(new Date(instant), tz)).toEqual(expected);
  });
});
