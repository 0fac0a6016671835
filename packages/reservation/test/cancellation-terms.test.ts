import type { CancellationPolicy, RefundRule } from "@triphub/platform/stay-rules";
import { describe, expect, it } from "vitest";
import { type ConfirmedStaySnapshot, freeCancellationUntil, refundOnCancel, stayHasBegun } from "../src/domain/cancellation-terms.js";
import type { Money } from "../src/domain/money.js";

// 15:00 on 2026-07-01 in Seoul (UTC+9, no daylight saving).
const checkInAt = new Date("2026-07-01T06:00:00.000Z");
const hours = (h: number) => new Date(checkInAt.getTime() - h * 3_600_000);
const days = (d: number) => hours(d * 24);
const ms = (at: Date, n: number) => new Date(at.getTime() + n);

const usd = (amountMinor: bigint): Money => ({ amountMinor, currency: "USD" });

// Three uneven nights for ONE unit ($100.00, $120.00, $100.01), three units:
// total 3 x 32,001 = 96,003 cents; the first night for all units 3 x 10,000 = 30,000.
const TOTAL = 96_003n;
function reservation(
  policy: CancellationPolicy | undefined,
  confirmedAt: Date,
  place = { checkIn: "2026-07-01", timeZone: "Asia/Seoul" },
): ConfirmedStaySnapshot {
  return {
    checkIn: place.checkIn,
    checkInTime: "15:00",
    timeZone: place.timeZone,
    cancellationPolicy: policy,
    price: {
      nights: [
        { date: "2026-07-01", price: usd(10_000n) },
        { date: "2026-07-02", price: usd(12_000n) },
        { date: "2026-07-03", price: usd(10_001n) },
      ],
      units: 3,
      total: usd(TOTAL),
      averageNightly: usd(10_667n),
    },
    confirmedAt,
  };
}

describe("refundOnCancel by the guest, everything captured", () => {
  it.each<[string, CancellationPolicy, Date, Date, bigint, RefundRule]>([
    ["flexible, exactly 24 h before check-in", "flexible", days(30), hours(24), 96_003n, "full"],
    ["flexible, 1 ms inside 24 h: all but the first night of all 3 units", "flexible", days(30), ms(hours(24), 1), 66_003n, "all_but_first_night"],
    ["flexible, at check-in", "flexible", days(30), checkInAt, 66_003n, "all_but_first_night"],
    ["moderate, exactly 5 days before", "moderate", days(30), days(5), 96_003n, "full"],
    ["moderate, 1 ms inside 5 days: half, the odd cent to the host", "moderate", days(30), ms(days(5), 1), 48_001n, "half"],
    ["strict, exactly 48 h after confirming, 28 days ahead", "strict", days(30), days(28), 96_003n, "full"],
    ["strict, 1 ms after the 48 h grace", "strict", days(30), ms(days(28), 1), 48_001n, "half"],
    ["strict, confirmed 15 days ahead, exactly 14 days before", "strict", days(15), days(14), 96_003n, "full"],
    ["strict, confirmed 15 days ahead, 1 ms inside 14 days", "strict", days(15), ms(days(14), 1), 48_001n, "half"],
    ["strict, confirmed 10 days ahead, at once: no grace", "strict", days(10), days(10), 48_001n, "half"],
    ["strict, exactly 7 days before", "strict", days(30), days(7), 48_001n, "half"],
    ["strict, 1 ms inside 7 days", "strict", days(30), ms(days(7), 1), 0n, "none"],
    ["non-refundable, right after confirming", "non_refundable", days(60), days(60), 0n, "none"],
  ])("%s", (_case, policy, confirmedAt, at, refund, rule) => {
    expect(refundOnCancel(reservation(policy, confirmedAt), { actor: "guest", at, capturedMinor: TOTAL })).toEqual({
      amount: usd(refund),
      rule,
    });
  });
});

describe("refundOnCancel by the host or an admin", () => {
  it.each<["host" | "admin", RefundRule]>([
    ["host", "cancelled_by_host"],
    ["admin", "cancelled_by_admin"],
  ])("refunds all that was captured when the %s cancels, even a non-refundable stay", (actor, rule) => {
    const r = refundOnCancel(reservation("non_refundable", days(30)), { actor, at: hours(1), capturedMinor: TOTAL });
    expect(r).toEqual({ amount: usd(96_003n), rule });
  });
});

describe("refundOnCancel never gives back more than was captured", () => {
  it.each<[string, CancellationPolicy, "guest" | "host", Date, bigint | number, bigint, RefundRule]>([
    ["a full refund", "flexible", "guest", days(2), 50_000n, 50_000n, "full"],
    ["all but the first night", "flexible", "guest", hours(1), 60_000, 60_000n, "all_but_first_night"],
    ["half, below the capture", "moderate", "guest", days(1), 50_000n, 48_001n, "half"],
    ["the host's full refund", "non_refundable", "host", days(1), 70_000n, 70_000n, "cancelled_by_host"],
    ["nothing captured", "flexible", "guest", days(2), 0, 0n, "full"],
  ])("%s", (_case, policy, actor, at, capturedMinor, refund, rule) => {
    expect(refundOnCancel(reservation(policy, days(30)), { actor, at, capturedMinor })).toEqual({ amount: usd(refund), rule });
  });

  it("refuses a negative capture", () => {
    expect(() => refundOnCancel(reservation("flexible", days(30)), { actor: "guest", at: days(2), capturedMinor: -1n })).toThrow(/negative/);
  });
});

describe("cancellation terms across a daylight-saving change", () => {
  // Paris moves to UTC+2 at 02:00 on 2026-03-29: check-in at 15:00 that day is 13:00Z, and
  // "24 h before" is 14:00 local on the 28th, not 15:00.
  const paris = { checkIn: "2026-03-29", timeZone: "Europe/Paris" };
  const parisCheckIn = new Date("2026-03-29T13:00:00.000Z");
  const flexible = reservation("flexible", new Date("2026-03-01T00:00:00.000Z"), paris);

  it.each<[string, bigint, RefundRule]>([
    ["2026-03-28T13:00:00.000Z", 96_003n, "full"],
    ["2026-03-28T13:00:00.001Z", 66_003n, "all_but_first_night"],
    ["2026-03-28T14:00:00.000Z", 66_003n, "all_but_first_night"],
  ])("cancelling at %s refunds %i (%s)", (at, refund, rule) => {
    expect(refundOnCancel(flexible, { actor: "guest", at: new Date(at), capturedMinor: TOTAL })).toEqual({ amount: usd(refund), rule });
  });

  it("frees cancellation until 24 real hours before check-in", () => {
    expect(freeCancellationUntil(flexible, new Date("2026-03-01T00:00:00.000Z"))).toEqual(new Date("2026-03-28T13:00:00.000Z"));
  });

  it.each([
    [ms(parisCheckIn, -1), false],
    [parisCheckIn, true],
  ])("at %s the stay has begun: %s", (at, begun) => {
    expect(stayHasBegun(flexible, at)).toBe(begun);
  });
});

describe("freeCancellationUntil", () => {
  it.each<[string, CancellationPolicy, Date, Date | undefined]>([
    ["flexible", "flexible", days(30), hours(24)],
    ["moderate", "moderate", days(30), days(5)],
    ["moderate confirmed inside its window", "moderate", days(2), undefined],
    ["strict, 48 h after confirming", "strict", days(30), days(28)],
    ["strict, until 14 days before", "strict", days(15), days(14)],
    ["strict confirmed under 14 days ahead", "strict", days(10), undefined],
    ["non-refundable", "non_refundable", days(30), undefined],
  ])("%s", (_case, policy, confirmedAt, until) => {
    expect(freeCancellationUntil(reservation(policy, confirmedAt), confirmedAt)).toEqual(until);
  });

  it("refuses a reservation without a policy", () => {
    expect(() => freeCancellationUntil(reservation(undefined, days(30)), days(30))).toThrow(/no cancellation policy/);
  });
});

describe("stayHasBegun", () => {
  it.each([
    [ms(checkInAt, -1), false],
    [checkInAt, true],
    [days(-1), true],
  ])("at %o: %s", (at, begun) => {
    expect(stayHasBegun(reservation("flexible", days(30)), at)).toBe(begun);
  });
});
