import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newProperty } from "../src/domain/property.js";
import type { Property } from "../src/domain/property.js";
import { newRoomType } from "../src/domain/room-type.js";
import type { RoomType, RoomTypeInput } from "../src/domain/room-type.js";
import { applyRoomTypePatch } from "../src/domain/room-type-patch.js";
import type { RoomTypePatch } from "../src/domain/room-type-patch.js";
import { createCalendarStore } from "../src/store/calendar-store.js";
import { createPropertyStore } from "../src/store/property-store.js";
import { createRoomTypeStore } from "../src/store/room-type-store.js";
import { roomTypes } from "../src/store/schema.js";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";
import { at, propertyInput, roomTypeInput, t0 } from "./fixtures.js";

// The floor and ceiling price sorts walk by (migrations 0005, 0006): the least and greatest of
// the base price, the weekend price and every override a search can still meet. The walk is
// only right while they hold (price-walk.test.ts); here, that they are exact.

let testDb: TestDb;
let property: Property;
const today = "2026-03-01";
const krw = (amountMinor: number) => ({ amountMinor, currency: "KRW" });

beforeAll(async () => {
  testDb = await openTestDb("acc_price_bounds");
  property = await createPropertyStore(testDb.db).create(newProperty(propertyInput(), randomUUID(), t0));
});
afterAll(() => testDb?.close());

const add = (input: Partial<RoomTypeInput> = {}) => createRoomTypeStore(testDb.db).create(newRoomType(roomTypeInput(3, input), property, t0));
const edit = (rt: RoomType, p: RoomTypePatch, seconds: number, mask = ["weekend_nightly_price"]) =>
  createRoomTypeStore(testDb.db).updateRoomType(rt.id, undefined, (r) => applyRoomTypePatch(r, p, mask, "KRW", at(seconds)), today);
const boundsOf = async (rt: RoomType) => {
  const [row] = await testDb.db
    .select({ floor: roomTypes.priceFloorMinor, ceiling: roomTypes.priceCeilingMinor })
    .from(roomTypes)
    .where(eq(roomTypes.id, rt.id));
  return row;
};

describe("room type price bounds", () => {
  it("start at the base and weekend prices, the lower as floor and the higher as ceiling", async () => {
    expect(await boundsOf(await add({ weekendPrice: krw(150_000) }))).toEqual({ floor: 120_000, ceiling: 150_000 });
    expect(await boundsOf(await add({ weekendPrice: krw(90_000) }))).toEqual({ floor: 90_000, ceiling: 120_000 });
    expect(await boundsOf(await add())).toEqual({ floor: 120_000, ceiling: 120_000 });
  });

  it("follow the weekend price as the host raises, lowers and clears it, beside the overrides", async () => {
    const rt = await add();
    const settings = { priceOverride: krw(200_000) };
    await createCalendarStore(testDb.db).update(rt.id, { startDate: "2026-03-10", endDate: "2026-03-11", weekdays: [], settings, mask: ["price_override"] }, today);
    expect(await boundsOf(rt)).toEqual({ floor: 120_000, ceiling: 200_000 });
    await edit(rt, { weekendPrice: krw(80_000) }, 1);
    expect(await boundsOf(rt)).toEqual({ floor: 80_000, ceiling: 200_000 });
    await edit(rt, { weekendPrice: krw(250_000) }, 2);
    expect(await boundsOf(rt)).toEqual({ floor: 120_000, ceiling: 250_000 });
    await edit(rt, {}, 3);
    expect(await boundsOf(rt)).toEqual({ floor: 120_000, ceiling: 200_000 });
  });

  // Dearest first trusts a stay's base and weekend prices unless it touches a premium night.
  it("mark the nights an override prices above their own rate as premium, and only those", async () => {
    const rt = await add({ weekendPrice: krw(150_000) });
    const premiumOf = async () => ((await testDb.db.execute(sql`select premium_nights::text as p from room_types where id = ${rt.id}`)) as unknown as { p: string }[])[0]!.p;
    const calendar = createCalendarStore(testDb.db);
    const price = (startDate: string, endDate: string, amount: number | undefined) =>
      calendar.update(rt.id, { startDate, endDate, weekdays: [], settings: amount === undefined ? {} : { priceOverride: krw(amount) }, mask: ["price_override"] }, today);
    expect(await premiumOf()).toBe("{}");
    // Tuesday 10th to Sunday 15th at 140,000: above the base on weekdays, below the weekend
    // price on Friday 13th and Saturday 14th.
    await price("2026-03-10", "2026-03-16", 140_000);
    expect(await premiumOf()).toBe("{[2026-03-10,2026-03-13),[2026-03-15,2026-03-16)}");
    await price("2026-03-11", "2026-03-12", undefined);
    expect(await premiumOf()).toBe("{[2026-03-10,2026-03-11),[2026-03-12,2026-03-13),[2026-03-15,2026-03-16)}");
    // A base price above the overrides leaves no night dearer than its own rate.
    await edit(rt, { basePrice: krw(145_000) }, 1, ["base_nightly_price"]);
    expect(await premiumOf()).toBe("{}");
  });
});
