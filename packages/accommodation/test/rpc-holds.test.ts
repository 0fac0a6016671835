import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { HoldReleaseReason, HoldStatus } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailsOf, doubleRoom, guesthouse, host, listedProperty, type Platform, rpcError, startPlatform, type TestUser } from "./rpc-harness.js";

let p: Platform;
let owner: TestUser;
beforeAll(async () => {
  p = await startPlatform("acc_rpc_holds");
  owner = await host(p);
});
afterAll(() => p?.close());

// The clock starts at 2026-03-01 (Seoul); the stays below are in the weeks after.
async function room(units = 2) {
  const { property, roomType } = await listedProperty(owner, units);
  const ids = { propertyId: property.propertyId, roomTypeId: roomType.roomTypeId };
  const calendar = async (startDate: string, endDate: string) =>
    (await owner.api.getCalendar({ ...ids, startDate, endDate })).days.map((d) => ({ date: d.date, held: d.heldUnits, booked: d.bookedUnits }));
  const hold = (checkIn: string, checkOut: string, extra: { units?: number; reservationId?: string; ttlSeconds?: number } = {}) =>
    p.internal.holdInventory({
      ...ids,
      reservationId: extra.reservationId ?? randomUUID(),
      checkIn,
      checkOut,
      units: extra.units ?? 1,
      guests: { adults: 2, children: 0 },
      ttl: extra.ttlSeconds === undefined ? undefined : { seconds: BigInt(extra.ttlSeconds) },
    });
  return { ...ids, calendar, hold };
}

describe("holding, confirming and releasing", () => {
  it("holds every night with a price snapshot, confirms and releases, each idempotently", async () => {
    const r = await room();
    const reservationId = randomUUID();
    const { hold } = await r.hold("2026-03-10", "2026-03-12", { reservationId });
    expect(hold).toMatchObject({
      reservationId,
      hostId: owner.userId,
      status: HoldStatus.HELD,
      cancellationPolicy: CancellationPolicy.MODERATE,
      propertyName: "Bukchon Hanok Stay",
      timeZone: "Asia/Seoul",
      price: { units: 1, total: { amountMinor: 240_000n, currencyCode: "KRW" } },
    });
    expect(hold?.price?.nights.map((n) => n.date)).toEqual(["2026-03-10", "2026-03-11"]);
    expect(await r.calendar("2026-03-10", "2026-03-13")).toEqual([
      { date: "2026-03-10", held: 1, booked: 0 },
      { date: "2026-03-11", held: 1, booked: 0 },
      { date: "2026-03-12", held: 0, booked: 0 },
    ]);
    const again = await r.hold("2026-03-10", "2026-03-12", { reservationId });
    expect(again.hold?.holdId).toBe(hold?.holdId);
    expect((await r.calendar("2026-03-10", "2026-03-11"))[0]?.held).toBe(1);

    const confirmed = (await p.internal.confirmHold({ reservationId })).hold!;
    expect(confirmed.status).toBe(HoldStatus.CONFIRMED);
    expect(confirmed.confirmTime).toBeDefined();
    expect((await p.internal.confirmHold({ reservationId })).hold).toEqual(confirmed);
    expect((await r.calendar("2026-03-10", "2026-03-12")).map((n) => n.booked)).toEqual([1, 1]);

    const reason = HoldReleaseReason.RESERVATION_CANCELLED;
    const released = (await p.internal.releaseHold({ reservationId, reason })).hold!;
    expect(released).toMatchObject({ status: HoldStatus.RELEASED, releaseReason: reason });
    expect((await p.internal.releaseHold({ reservationId, reason })).hold).toEqual(released);
    expect((await p.internal.getHold({ reservationId })).hold).toEqual(released);
    expect(await r.calendar("2026-03-10", "2026-03-12")).toEqual([
      { date: "2026-03-10", held: 0, booked: 0 },
      { date: "2026-03-11", held: 0, booked: 0 },
    ]);
  });

  it("answers ALREADY_EXISTS for the same reservation with other dates", async () => {
    const r = await room();
    const reservationId = randomUUID();
    await r.hold("2026-03-10", "2026-03-12", { reservationId });
    expect((await rpcError(r.hold("2026-03-10", "2026-03-13", { reservationId }))).code).toBe(Code.AlreadyExists);
    expect((await r.calendar("2026-03-12", "2026-03-13"))[0]?.held).toBe(0);
  });

  it("refuses a stay over a sold-out night with FAILED_PRECONDITION naming it, holding nothing", async () => {
    const r = await room(2);
    await r.hold("2026-03-11", "2026-03-13", { units: 2 });
    const err = await rpcError(r.hold("2026-03-09", "2026-03-14"));
    expect(detailsOf(err)).toMatchObject({ code: Code.FailedPrecondition, reason: "ROOMS_UNAVAILABLE" });
    expect(err.rawMessage).toContain("2026-03-11");
    expect((await r.calendar("2026-03-09", "2026-03-14")).map((n) => n.held)).toEqual([0, 0, 2, 2, 0]);
  });

  it("refuses a property that is not listed as PROPERTY_NOT_BOOKABLE", async () => {
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const propertyId = property!.propertyId;
    const { roomType } = await owner.api.createRoomType({ propertyId, roomType: doubleRoom() });
    const err = await rpcError(
      p.internal.holdInventory({
        reservationId: randomUUID(),
        propertyId,
        roomTypeId: roomType!.roomTypeId,
        checkIn: "2026-03-10",
        checkOut: "2026-03-11",
        units: 1,
        guests: { adults: 1 },
      }),
    );
    expect(detailsOf(err)).toMatchObject({ code: Code.FailedPrecondition, reason: "PROPERTY_NOT_BOOKABLE" });
  });

  it("records a release that overtakes its hold, so the late hold fails with HOLD_RELEASED", async () => {
    const r = await room();
    const reservationId = randomUUID();
    const early = await p.internal.releaseHold({ reservationId, reason: HoldReleaseReason.RESERVATION_FAILED });
    expect(early.hold).toBeUndefined();
    const err = await rpcError(r.hold("2026-03-10", "2026-03-11", { reservationId }));
    expect(detailsOf(err)).toMatchObject({ code: Code.FailedPrecondition, reason: "HOLD_RELEASED" });
    expect((await rpcError(p.internal.getHold({ reservationId }))).code).toBe(Code.NotFound);
  });

  it("lets the sweeper expire an unconfirmed hold and give its units back", async () => {
    const r = await room();
    const reservationId = randomUUID();
    await r.hold("2026-03-20", "2026-03-22", { reservationId, ttlSeconds: 10 });
    p.clock.advance(11_000);
    await expect
      .poll(async () => (await p.internal.getHold({ reservationId })).hold?.status, { timeout: 5_000, interval: 50 })
      .toBe(HoldStatus.EXPIRED);
    expect((await r.calendar("2026-03-20", "2026-03-22")).map((n) => n.held)).toEqual([0, 0]);
    expect(detailsOf(await rpcError(p.internal.confirmHold({ reservationId })))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "HOLD_EXPIRED",
    });
  });
});

describe("invalid holds", () => {
  it.each([
    ["check-out before check-in", "2026-03-12", "2026-03-10"],
    ["a stay of more than 30 nights", "2026-03-10", "2026-04-10"],
    ["a stay starting in the past", "2026-02-27", "2026-03-02"],
  ])("refuses %s as INVALID_ARGUMENT and holds nothing", async (_case, checkIn, checkOut) => {
    const r = await room();
    const reservationId = randomUUID();
    expect((await rpcError(r.hold(checkIn, checkOut, { reservationId }))).code).toBe(Code.InvalidArgument);
    expect((await rpcError(p.internal.getHold({ reservationId }))).code).toBe(Code.NotFound);
    expect((await r.calendar("2026-03-01", "2026-04-11")).every((n) => n.held === 0)).toBe(true);
  });

  it("refuses a party too big for the units as OCCUPANCY_EXCEEDED", async () => {
    const r = await room();
    const err = await rpcError(
      p.internal.holdInventory({
        propertyId: r.propertyId,
        roomTypeId: r.roomTypeId,
        reservationId: randomUUID(),
        checkIn: "2026-03-10",
        checkOut: "2026-03-11",
        units: 1,
        guests: { adults: 3 },
      }),
    );
    expect(detailsOf(err)).toMatchObject({ code: Code.FailedPrecondition, reason: "OCCUPANCY_EXCEEDED" });
  });

  it("answers NOT_FOUND for a reservation without a hold", async () => {
    expect((await rpcError(p.internal.getHold({ reservationId: randomUUID() }))).code).toBe(Code.NotFound);
    expect((await rpcError(p.internal.confirmHold({ reservationId: randomUUID() }))).code).toBe(Code.NotFound);
  });
});
