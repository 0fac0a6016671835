import { randomUUID } from "node:crypto";
import { fromBinary } from "@bufbuild/protobuf";
import * as ev from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newProperty } from "../src/domain/property.js";
import { publishProperty, unpublishProperty } from "../src/domain/property-status.js";
import { newRoomType } from "../src/domain/room-type.js";
import { applyRoomTypePatch } from "../src/domain/room-type-patch.js";
import { createCalendarStore } from "../src/store/calendar-store.js";
import { createHoldStore } from "../src/store/hold-store.js";
import { writeTransaction } from "../src/store/outbox.js";
import { createPropertyStore } from "../src/store/property-store.js";
import { applyRatingUpdate } from "../src/store/rating-store.js";
import { createRoomTypeStore } from "../src/store/room-type-store.js";
import { events } from "../src/store/schema.js";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";
import { at, listedRoomType, propertyInput, rejection, roomTypeInput, t0 } from "./fixtures.js";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await openTestDb("acc_outbox");
});
afterAll(() => testDb?.close());

/** A stream's events in version order: [type without package, version]. */
async function stream(streamId: string) {
  const rows = await testDb.db.select().from(events).where(eq(events.streamId, streamId)).orderBy(asc(events.streamVersion));
  return rows;
}
const short = (rows: { type: string; streamVersion: number }[]) => rows.map((r) => [r.type.replace("triphub.accommodation.v1.", ""), r.streamVersion]);

describe("the outbox of property writes", () => {
  it("records every property, room-type and calendar change on the property's stream, in order", async () => {
    const properties = createPropertyStore(testDb.db);
    const roomTypes = createRoomTypeStore(testDb.db);
    const created = await properties.create(newProperty(propertyInput(), randomUUID(), t0));
    await properties.updateProperty(created.id, undefined, (p) => ({ ...p, name: "Renamed", version: p.version + 1 }));
    const rt = await roomTypes.create(newRoomType(roomTypeInput(4), created, t0));
    await roomTypes.updateRoomType(rt.id, undefined, (r) => applyRoomTypePatch(r, { unitCount: 5 }, ["unit_count"], "KRW", at(1)), "2026-03-01");
    await createCalendarStore(testDb.db).update(
      rt.id,
      { startDate: "2026-06-01", endDate: "2026-06-08", weekdays: [5, 6], settings: { priceOverride: { amountMinor: 150_000, currency: "KRW" } }, mask: ["price_override"] },
      "2026-03-01",
    );
    await properties.updateProperty(created.id, undefined, (p) => publishProperty(p, { sellableRoomTypes: 1 }, at(2)));
    await properties.updateProperty(created.id, undefined, (p) => unpublishProperty(p, at(3)));
    await writeTransaction(testDb.db, (tx) =>
      applyRatingUpdate(tx, { propertyId: created.id, summary: { average: 4.5, count: 2, rankingScore: 3.67 }, version: 1n }),
    );
    await roomTypes.delete(rt.id, undefined, "2026-03-01");
    await properties.delete(created.id, undefined, at(4));

    const rows = await stream(created.id);
    expect(short(rows)).toEqual([
      ["PropertyCreated", 1], ["PropertyUpdated", 2], ["RoomTypeCreated", 3], ["RoomTypeUpdated", 4], ["CalendarUpdated", 5],
      ["PropertyPublished", 6], ["PropertyUnpublished", 7], ["RatingSummaryUpdated", 8], ["RoomTypeDeleted", 9], ["PropertyDeleted", 10],
    ]);
    expect(rows.every((r) => r.streamType === "property")).toBe(true);
    // Positions follow commit order here, since each write committed before the next began.
    expect(rows.map((r) => r.position)).toEqual([...rows.map((r) => r.position)].sort((a, b) => (a < b ? -1 : 1)));

    const updated = fromBinary(ev.PropertyUpdatedSchema, rows[1].payload);
    expect(updated.changedFields).toEqual(["name"]);
    expect(updated.property?.name).toBe("Renamed");
    const rtUpdated = fromBinary(ev.RoomTypeUpdatedSchema, rows[3].payload);
    expect([rtUpdated.changedFields, rtUpdated.roomType?.unitCount]).toEqual([["unit_count"], 5]);
    const calendar = fromBinary(ev.CalendarUpdatedSchema, rows[4].payload);
    expect(calendar).toMatchObject({ roomTypeId: rt.id, startDate: "2026-06-01", endDate: "2026-06-08", weekdays: [5, 6], changedFields: ["price_override"] });
    expect(calendar.settings?.priceOverride).toMatchObject({ amountMinor: 150_000n, currencyCode: "KRW" });
    expect(fromBinary(ev.PropertyDeletedSchema, rows[9].payload).ownerId).toBe(created.ownerId);
  });

  it("records nothing for a write that changes nothing or fails", async () => {
    const properties = createPropertyStore(testDb.db);
    const created = await properties.create(newProperty(propertyInput(), randomUUID(), t0));
    await properties.updateProperty(created.id, undefined, (p) => p);
    await rejection(properties.updateProperty(created.id, '"v9"', (p) => ({ ...p, name: "Lost" })));
    await expect(properties.updateProperty(created.id, undefined, (p) => ({ ...p, starRating: 9 }))).rejects.toThrow();
    expect(short(await stream(created.id))).toEqual([["PropertyCreated", 1]]);
  });
});

describe("the outbox of holds", () => {
  it("records held, confirmed and released on the reservation's stream, and expiry by the sweeper", async () => {
    const { property, roomType } = await listedRoomType(testDb.db, 3);
    const holds = createHoldStore(testDb.db);
    const request = (reservationId: string) => ({
      reservationId, propertyId: property.id, roomTypeId: roomType.id, checkIn: "2026-05-01", checkOut: "2026-05-03", units: 1,
      guests: { adults: 1, children: 0 }, ttlSeconds: 60,
    });
    const kept = randomUUID();
    await holds.hold(request(kept), t0);
    await holds.hold(request(kept), t0); // a replay records nothing
    await holds.confirm(kept, at(1));
    await holds.confirm(kept, at(2));
    await holds.release(kept, "reservation_cancelled", at(3));
    expect(short(await stream(kept))).toEqual([["InventoryHeld", 1], ["HoldConfirmed", 2], ["HoldReleased", 3]]);

    const lapsed = randomUUID();
    await holds.hold(request(lapsed), t0);
    await holds.expire(at(61), 100);
    const rows = await stream(lapsed);
    expect(short(rows)).toEqual([["InventoryHeld", 1], ["HoldExpired", 2]]);
    expect(rows[1].streamType).toBe("hold");
    expect(fromBinary(ev.HoldExpiredSchema, rows[1].payload).hold?.reservationId).toBe(lapsed);
    expect(await stream(randomUUID())).toEqual([]);
  });

  it("records nothing for a release of a reservation that never held", async () => {
    const id = randomUUID();
    await createHoldStore(testDb.db).release(id, "reservation_failed", t0);
    expect(await stream(id)).toEqual([]);
  });
});
