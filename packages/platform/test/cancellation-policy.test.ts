import { describe, expect, it } from "vitest";
import { freeCancellationUntil, refundFor } from "../src/stay-rules/cancellation-policy.js";
import type { CancellationPolicy, RefundRule } from "../src/stay-rules/cancellation-policy.js";

const checkInAt = new Date("2026-07-01T06:00:00.000Z");
const hours = (h: number) => new Date(checkInAt.getTime() - h * 3_600_000);
const days = (d: number) => hours(d * 24);
// Three nights: 100,000 + 120,000 + 100,001 KRW.
const stay = { totalMinor: 320_001, firstNightMinor: 100_000 };

describe("refundFor", () => {
  it.each<[CancellationPolicy, Date, Date, number, RefundRule]>([
    ["flexible", days(30), days(2), 320_001, "full"],
    ["flexible", days(30), hours(24), 320_001, "full"],
    ["flexible", days(30), hours(23), 220_001, "all_but_first_night"],
    ["moderate", days(30), days(5), 320_001, "full"],
    ["moderate", days(30), hours(119), 160_000, "half"],
    ["strict", days(30), days(29), 320_001, "full"],
    ["strict", days(30), days(27), 160_000, "half"],
    ["strict", days(10), days(9), 160_000, "half"],
    ["strict", days(30), days(7), 160_000, "half"],
    ["strict", days(30), hours(167), 0, "none"],
    ["non_refundable", days(60), days(59), 0, "none"],
  ])("%s booked %s, cancelled %s: refunds %i (%s)", (policy, bookedAt, cancelAt, refundMinor, rule) => {
    expect(refundFor(policy, { ...stay, bookedAt, cancelAt, checkInAt, cancelledBy: "guest" })).toEqual({ refundMinor, rule });
  });

  it.each<["host" | "admin", RefundRule]>([
    ["host", "cancelled_by_host"],
    ["admin", "cancelled_by_admin"],
  ])("refunds in full when the %s cancels, whatever the policy", (cancelledBy, rule) => {
    const r = refundFor("non_refundable", { ...stay, bookedAt: days(30), cancelAt: hours(1), checkInAt, cancelledBy });
    expect(r).toEqual({ refundMinor: 320_001, rule });
  });
});

describe("freeCancellationUntil", () => {
  it.each<[CancellationPolicy, Date, Date | undefined]>([
    ["flexible", days(30), hours(24)],
    ["moderate", days(30), days(5)],
    ["strict", days(30), days(28)],
    ["strict", days(15), days(14)],
    ["strict", days(10), undefined],
    ["moderate", days(2), undefined],
    ["non_refundable", days(30), undefined],
  ])("%s booked %s refunds in full until %s", (policy, bookedAt, until) => {
    expect(freeCancellationUntil(policy, bookedAt, checkInAt)).toEqual(until);
  });
});
