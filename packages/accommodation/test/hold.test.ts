import { describe, expect, it } from "vitest";
import { confirmHold, expireHold, holdExpiry, releaseHold, replayHold } from "../src/domain/hold.js";
import type { Hold, HoldStatus } from "../src/domain/hold.js";
import { at, t0, thrown } from "./fixtures.js";

const hold: Hold = {
  holdId: "h1", reservationId: "r1", propertyId: "p1", roomTypeId: "rt1", hostId: "u1",
  checkIn: "2026-05-01", checkOut: "2026-05-03", units: 1, guests: { adults: 2, children: 0 }, status: "held",
  price: { nights: [], units: 1, total: { amountMinor: 0, currency: "KRW" }, averageNightly: { amountMinor: 0, currency: "KRW" } },
  cancellationPolicy: "moderate", propertyName: "P", roomTypeName: "R", timeZone: "Asia/Seoul", checkInTime: "15:00",
  checkOutTime: "11:00", createdAt: t0, expiresAt: at(900), confirmedAt: undefined, releasedAt: undefined, releaseReason: undefined,
};
const inStatus = (status: HoldStatus): Hold => ({ ...hold, status });

describe("hold transitions", () => {
  it("confirms a live hold and moves its units from held to booked", () => {
    expect(confirmHold(hold, at(10))).toEqual({ hold: { ...hold, status: "confirmed", confirmedAt: at(10) }, move: "hold_to_booked" });
  });

  it("confirms a confirmed hold again without moving anything", () => {
    const confirmed = inStatus("confirmed");
    expect(confirmHold(confirmed, at(10))).toEqual({ hold: confirmed, move: "none" });
  });

  it.each<[string, Hold, string]>([
    ["a lapsed held hold", hold, "HOLD_EXPIRED"],
    ["an expired hold", inStatus("expired"), "HOLD_EXPIRED"],
    ["a released hold", inStatus("released"), "HOLD_RELEASED"],
  ])("refuses to confirm %s", (_what, h, reason) => {
    const err = thrown(() => confirmHold(h, at(900)));
    expect(err).toMatchObject({ kind: "precondition", details: { reason } });
  });

  it.each<[HoldStatus, string]>([
    ["held", "release_held"],
    ["confirmed", "release_booked"],
    ["released", "none"],
    ["expired", "none"],
  ])("releases a %s hold with move %s", (status, move) => {
    expect(releaseHold(inStatus(status), "reservation_cancelled", at(5)).move).toBe(move);
  });

  it("expires only held holds whose TTL has passed", () => {
    expect(expireHold(hold, at(899)).move).toBe("none");
    expect(expireHold(hold, at(900))).toEqual({ hold: { ...hold, status: "expired", releasedAt: at(900) }, move: "release_held" });
    expect(expireHold(inStatus("confirmed"), at(9999)).move).toBe("none");
  });
});

describe("replayHold", () => {
  const req = { reservationId: "r1", propertyId: "p1", roomTypeId: "rt1", checkIn: "2026-05-01", checkOut: "2026-05-03", units: 1, guests: { adults: 2, children: 0 } };

  it("returns the existing hold for the same request", () => {
    expect(replayHold(hold, req)).toBe(hold);
  });

  it.each([
    ["other dates", { ...req, checkOut: "2026-05-04" }, "already_exists"],
    ["more units", { ...req, units: 2 }, "already_exists"],
  ])("refuses the same reservation with %s", (_what, other, kind) => {
    expect(thrown(() => replayHold(hold, other)).kind).toBe(kind);
  });

  it("refuses to replay a released hold", () => {
    expect(thrown(() => replayHold(inStatus("released"), req)).details.reason).toBe("HOLD_RELEASED");
  });
});

describe("holdExpiry", () => {
  it.each([
    [undefined, at(900)],
    [10, at(10)],
    [3600, at(3600)],
  ])("with ttl %s expires at %s", (ttl, expected) => {
    expect(holdExpiry(t0, ttl)).toEqual(expected);
  });

  it.each([9, 3601])("refuses a ttl of %i seconds", (ttl) => {
    expect(thrown(() => holdExpiry(t0, ttl)).kind).toBe("invalid");
  });
});
