import { describe, expect, it } from "vitest";
import { parseStay } from "../src/domain/stay.js";
import { thrown } from "./fixtures.js";

describe("parseStay", () => {
  it("lists the nights from check-in up to the day before check-out", () => {
    expect(parseStay("2026-02-27", "2026-03-02", "2026-02-27").nights).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
  });

  it("accepts exactly 30 nights", () => {
    expect(parseStay("2026-05-01", "2026-05-31", "2026-05-01").nights).toHaveLength(30);
  });

  it.each([
    ["2026-05-02", "2026-05-01", "check_out", "must be after check_in"],
    ["2026-05-01", "2026-05-01", "check_out", "must be after check_in"],
    ["2026-05-01", "2026-06-01", "check_out", "must be at most 30 nights after check_in"],
    ["2026-04-30", "2026-05-02", "check_in", "must not be in the past (today is 2026-05-01 at the property)"],
    ["2026-02-30", "2026-03-02", "check_in", "must be a date YYYY-MM-DD"],
    ["2026-5-1", "2026-05-02", "check_in", "must be a date YYYY-MM-DD"],
  ])("refuses check-in %s and check-out %s on %s: %s", (checkIn, checkOut, field, description) => {
    const err = thrown(() => parseStay(checkIn, checkOut, "2026-05-01"));
    expect(err.kind).toBe("invalid");
    expect(err.details.violations).toContainEqual({ field, description });
  });
});
