import { Code } from "@connectrpc/connect";
import { Weekday } from "@triphub/contracts/triphub/accommodation/v1/calendar_pb";
import { Amenity } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailsOf, doubleRoom, guesthouse, host, type Platform, rpcError, startPlatform, type TestUser } from "./rpc-harness.js";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform("acc_rpc_room_types");
});
afterAll(() => p?.close());

// The clock starts at 2026-03-01T00:00Z, 09:00 in Seoul: today at the property is 2026-03-01.
async function draftWithRoom(owner: TestUser, units = 3) {
  const { property } = await owner.api.createProperty({ property: guesthouse() });
  const propertyId = property!.propertyId;
  const { roomType } = await owner.api.createRoomType({ propertyId, roomType: doubleRoom(units) });
  return { propertyId, roomType: roomType!, roomTypeId: roomType!.roomTypeId };
}

describe("room types", () => {
  it("creates, reads, lists, updates and deletes a room type", async () => {
    const owner = await host(p);
    const { propertyId, roomType, roomTypeId } = await draftWithRoom(owner);
    expect(roomType).toMatchObject({ propertyId, name: "Ondol Double", unitCount: 3, baseNightlyPrice: { amountMinor: 120_000n, currencyCode: "KRW" } });
    expect((await owner.api.getRoomType({ propertyId, roomTypeId })).roomType).toEqual(roomType);
    p.clock.advance(1_000); // creation order is by create time
    await owner.api.createRoomType({ propertyId, roomType: doubleRoom(1, { name: "Family Suite", amenities: [Amenity.BATHTUB] }) });
    const listed = await owner.api.listRoomTypes({ propertyId });
    expect(listed.roomTypes.map((r) => r.name)).toEqual(["Ondol Double", "Family Suite"]);

    const { roomType: updated } = await owner.api.updateRoomType({
      roomType: { propertyId, roomTypeId, etag: roomType.etag, unitCount: 5, baseNightlyPrice: { amountMinor: 99_000n, currencyCode: "KRW" } },
      updateMask: { paths: ["unit_count", "base_nightly_price"] },
    });
    expect(updated).toMatchObject({ unitCount: 5, baseNightlyPrice: { amountMinor: 99_000n }, name: "Ondol Double" });
    const stale = owner.api.updateRoomType({ roomType: { propertyId, roomTypeId, etag: roomType.etag, name: "Late edit" } });
    expect((await rpcError(stale)).code).toBe(Code.Aborted);

    await owner.api.deleteRoomType({ propertyId, roomTypeId, etag: updated!.etag });
    expect((await rpcError(owner.api.getRoomType({ propertyId, roomTypeId }))).code).toBe(Code.NotFound);
  });

  it("answers NOT_FOUND for a room type of another property", async () => {
    const owner = await host(p);
    const a = await draftWithRoom(owner);
    const b = await draftWithRoom(owner);
    expect((await rpcError(owner.api.getRoomType({ propertyId: a.propertyId, roomTypeId: b.roomTypeId }))).code).toBe(Code.NotFound);
  });

  it("keeps other hosts and guests out", async () => {
    const owner = await host(p);
    const { propertyId, roomTypeId } = await draftWithRoom(owner);
    const other = await host(p);
    expect((await rpcError(other.api.createRoomType({ propertyId, roomType: doubleRoom() }))).code).toBe(Code.NotFound);
    expect((await rpcError(other.api.getCalendar({ propertyId, roomTypeId, startDate: "2026-03-01", endDate: "2026-03-02" }))).code).toBe(
      Code.NotFound,
    );
    expect((await p.admin.api.listRoomTypes({ propertyId })).roomTypes).toHaveLength(1);
  });

  it("binds a page token to its property: another property's listing refuses it as INVALID_ARGUMENT on page_token", async () => {
    const owner = await host(p);
    const a = await draftWithRoom(owner);
    const b = await draftWithRoom(owner);
    for (const name of ["Twin", "Suite"]) await owner.api.createRoomType({ propertyId: a.propertyId, roomType: doubleRoom(1, { name }) });
    const first = await owner.api.listRoomTypes({ propertyId: a.propertyId, pageSize: 2 });
    expect(first.nextPageToken).not.toBe("");

    const err = await rpcError(owner.api.listRoomTypes({ propertyId: b.propertyId, pageToken: first.nextPageToken }));
    expect(detailsOf(err)).toMatchObject({ code: Code.InvalidArgument, fields: ["page_token"] });
    expect(err.rawMessage).toContain("different ListRoomTypes query");
    expect(err.rawMessage).not.toContain(a.propertyId);
    // The same property pages on, even with another page size (AIP-158 lets it change).
    const rest = await owner.api.listRoomTypes({ propertyId: a.propertyId, pageSize: 5, pageToken: first.nextPageToken });
    expect([...first.roomTypes, ...rest.roomTypes].map((r) => r.name).sort()).toEqual(["Ondol Double", "Suite", "Twin"]);
    expect(rest.roomTypes).toHaveLength(1);
    expect(rest.nextPageToken).toBe("");
  });

  it.each([
    ["a negative price", doubleRoom(2, { baseNightlyPrice: { amountMinor: -1n, currencyCode: "KRW" } })],
    ["a price in another currency", doubleRoom(2, { baseNightlyPrice: { amountMinor: 100n, currencyCode: "USD" } })],
    ["an unknown amenity", doubleRoom(2, { amenities: [Amenity.WIFI, 777 as Amenity] })],
  ])("refuses %s as INVALID_ARGUMENT and adds nothing", async (_case, roomType) => {
    const owner = await host(p);
    const { propertyId } = await draftWithRoom(owner);
    expect((await rpcError(owner.api.createRoomType({ propertyId, roomType }))).code).toBe(Code.InvalidArgument);
    expect((await owner.api.listRoomTypes({ propertyId })).roomTypes).toHaveLength(1);
  });
});

describe("calendar", () => {
  it("shows unconfigured nights at the base price with every unit", async () => {
    const owner = await host(p);
    const { propertyId, roomTypeId } = await draftWithRoom(owner);
    const { days } = await owner.api.getCalendar({ propertyId, roomTypeId, startDate: "2026-03-10", endDate: "2026-03-12" });
    expect(days.map((d) => d.date)).toEqual(["2026-03-10", "2026-03-11"]);
    expect(days[0]).toMatchObject({ availableUnits: 3, remainingUnits: 3, priceOverridden: false, price: { amountMinor: 120_000n, currencyCode: "KRW" } });
  });

  it("sets masked values on the chosen weekdays of a range only", async () => {
    const owner = await host(p);
    const { propertyId, roomTypeId } = await draftWithRoom(owner);
    // 2026-03-13 is a Friday, 2026-03-14 a Saturday.
    const { days } = await owner.api.updateCalendar({
      propertyId,
      roomTypeId,
      startDate: "2026-03-09",
      endDate: "2026-03-16",
      weekdays: [Weekday.FRIDAY, Weekday.SATURDAY],
      settings: { priceOverride: { amountMinor: 150_000n, currencyCode: "KRW" }, minStayNights: 2, availableUnits: 1 },
      updateMask: { paths: ["price_override", "available_units"] },
    });
    const byDate = new Map(days.map((d) => [d.date, d]));
    expect(byDate.get("2026-03-13")).toMatchObject({ price: { amountMinor: 150_000n }, priceOverridden: true, availableUnits: 1, minStayNights: 0 });
    expect(byDate.get("2026-03-14")).toMatchObject({ price: { amountMinor: 150_000n }, availableUnits: 1 });
    expect(byDate.get("2026-03-12")).toMatchObject({ price: { amountMinor: 120_000n }, priceOverridden: false, availableUnits: 3 });
    const reread = await owner.api.getCalendar({ propertyId, roomTypeId, startDate: "2026-03-09", endDate: "2026-03-16" });
    expect(reread.days).toEqual(days);
  });

  it("refuses past nights (INVALID_ARGUMENT) and changes nothing", async () => {
    const owner = await host(p);
    const { propertyId, roomTypeId } = await draftWithRoom(owner);
    const range = { propertyId, roomTypeId, startDate: "2026-02-27", endDate: "2026-03-03" };
    const before = await owner.api.getCalendar(range);
    const err = await rpcError(owner.api.updateCalendar({ ...range, settings: { availableUnits: 0 }, updateMask: { paths: ["available_units"] } }));
    expect(detailsOf(err)).toMatchObject({ code: Code.InvalidArgument, fields: ["start_date"] });
    expect(await owner.api.getCalendar(range)).toEqual(before);
  });

  it("takes today from the property's time zone, not UTC", async () => {
    const owner = await host(p);
    const { propertyId, roomTypeId } = await draftWithRoom(owner);
    const update = { propertyId, roomTypeId, startDate: "2026-03-05", endDate: "2026-03-06", settings: { closedToArrival: true } };
    // Auth runs on the same clock, so the host signs in again after each jump (tokens last 15 minutes).
    p.clock.set("2026-03-05T15:30:00Z"); // already 00:30 on 2026-03-06 in Seoul
    try {
      const late = await p.signInAgain(owner);
      const err = await rpcError(late.api.updateCalendar({ ...update, updateMask: { paths: ["closed_to_arrival"] } }));
      expect(err.code).toBe(Code.InvalidArgument);
      p.clock.set("2026-03-05T14:30:00Z"); // 23:30 on 2026-03-05 in Seoul
      const onTime = await p.signInAgain(late);
      const { days } = await onTime.api.updateCalendar({ ...update, updateMask: { paths: ["closed_to_arrival"] } });
      expect(days[0]?.closedToArrival).toBe(true);
    } finally {
      p.clock.set("2026-03-01T00:00:00Z");
    }
  });

  it.each([
    ["a negative price override", { priceOverride: { amountMinor: -100n, currencyCode: "KRW" } }, "price_override", Code.InvalidArgument],
    ["more units than the room type has", { availableUnits: 4 }, "available_units", Code.FailedPrecondition],
  ])("refuses %s and changes nothing", async (_case, settings, path, code) => {
    const owner = await host(p);
    const { propertyId, roomTypeId } = await draftWithRoom(owner);
    const range = { propertyId, roomTypeId, startDate: "2026-03-10", endDate: "2026-03-12" };
    const before = await owner.api.getCalendar(range);
    const err = await rpcError(owner.api.updateCalendar({ ...range, settings, updateMask: { paths: [path] } }));
    expect(err.code).toBe(code);
    expect(await owner.api.getCalendar(range)).toEqual(before);
  });
});

describe("weekend prices", () => {
  const krw = (amountMinor: bigint) => ({ amountMinor, currencyCode: "KRW" });

  it("sets a weekend price on create, changes and clears it under update_mask, and leaves it alone otherwise", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const propertyId = property!.propertyId;
    const { roomType } = await owner.api.createRoomType({ propertyId, roomType: doubleRoom(3, { weekendNightlyPrice: krw(150_000n) }) });
    const roomTypeId = roomType!.roomTypeId;
    expect(roomType).toMatchObject({ baseNightlyPrice: krw(120_000n), weekendNightlyPrice: krw(150_000n) });

    const update = (etag: string, fields: Parameters<typeof doubleRoom>[1], paths: string[]) =>
      owner.api.updateRoomType({ roomType: { propertyId, roomTypeId, etag, ...fields }, updateMask: { paths } });
    const lowered = (await update(roomType!.etag, { weekendNightlyPrice: krw(99_000n) }, ["weekend_nightly_price"])).roomType!;
    expect(lowered).toMatchObject({ baseNightlyPrice: krw(120_000n), weekendNightlyPrice: krw(99_000n) });
    const renamed = (await update(lowered.etag, { name: "Garden Double" }, ["name"])).roomType!;
    expect(renamed.weekendNightlyPrice).toMatchObject(krw(99_000n));
    const cleared = (await update(renamed.etag, {}, ["weekend_nightly_price"])).roomType!;
    expect(cleared.weekendNightlyPrice).toBeUndefined();
    expect((await owner.api.getRoomType({ propertyId, roomTypeId })).roomType).toEqual(cleared);
  });

  const weekend = "room_type.weekend_nightly_price";
  it.each([
    ["of zero", krw(0n), [weekend]],
    ["below zero", krw(-1n), [weekend, `${weekend}.amount_minor`]],
    ["in another currency than the base price", { amountMinor: 100n, currencyCode: "USD" }, [`${weekend}.currency_code`]],
  ])("refuses a weekend price %s as INVALID_ARGUMENT on that field, on create and update, and changes nothing", async (_case, price, fields) => {
    const owner = await host(p);
    const { propertyId, roomType, roomTypeId } = await draftWithRoom(owner);
    const created = await rpcError(owner.api.createRoomType({ propertyId, roomType: doubleRoom(2, { weekendNightlyPrice: price }) }));
    expect(detailsOf(created)).toMatchObject({ code: Code.InvalidArgument, fields });
    const update = { roomType: { propertyId, roomTypeId, etag: roomType.etag, weekendNightlyPrice: price }, updateMask: { paths: ["weekend_nightly_price"] } };
    expect(detailsOf(await rpcError(owner.api.updateRoomType(update)))).toMatchObject({ code: Code.InvalidArgument, fields });
    expect((await owner.api.listRoomTypes({ propertyId })).roomTypes).toEqual([roomType]);
  });

  it("shows the weekend price on Friday and Saturday nights without an override, and the override where there is one", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const propertyId = property!.propertyId;
    const { roomType } = await owner.api.createRoomType({ propertyId, roomType: doubleRoom(3, { weekendNightlyPrice: krw(150_000n) }) });
    const range = { propertyId, roomTypeId: roomType!.roomTypeId, startDate: "2026-03-12", endDate: "2026-03-16" }; // Thursday to Monday
    const prices = async () => (await owner.api.getCalendar(range)).days.map((d) => [d.date, d.price?.amountMinor, d.priceOverridden]);
    expect(await prices()).toEqual([
      ["2026-03-12", 120_000n, false],
      ["2026-03-13", 150_000n, false],
      ["2026-03-14", 150_000n, false],
      ["2026-03-15", 120_000n, false],
    ]);
    const saturday = { ...range, startDate: "2026-03-14", endDate: "2026-03-15" };
    await owner.api.updateCalendar({ ...saturday, settings: { priceOverride: krw(170_000n) }, updateMask: { paths: ["price_override"] } });
    expect((await prices())[2]).toEqual(["2026-03-14", 170_000n, true]);
    await owner.api.updateCalendar({ ...saturday, settings: {}, updateMask: { paths: ["price_override"] } });
    expect((await prices())[2]).toEqual(["2026-03-14", 150_000n, false]);
  });
});
