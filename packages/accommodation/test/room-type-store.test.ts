import { randomUUID } from "node:crypto";
import { fromBinary } from "@bufbuild/protobuf";
import * as ev from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import type { DomainError } from "@triphub/platform/domain-error";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newProperty } from "../src/domain/property.js";
import type { Property } from "../src/domain/property.js";
import { newRoomType } from "../src/domain/room-type.js";
import type { RoomType, RoomTypeInput } from "../src/domain/room-type.js";
import { applyRoomTypePatch } from "../src/domain/room-type-patch.js";
import type { RoomTypePatch } from "../src/domain/room-type-patch.js";
import { etagOf } from "../src/domain/version.js";
import { createCalendarStore } from "../src/store/calendar-store.js";
import { createHoldStore } from "../src/store/hold-store.js";
import { createPropertyStore } from "../src/store/property-store.js";
import { createRoomTypeStore } from "../src/store/room-type-store.js";
import type { RoomTypeStore } from "../src/store/room-type-store.js";
import { events, inventory } from "../src/store/schema.js";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";
import { at, listedRoomType, propertyInput, rejection, roomTypeInput, t0 } from "./fixtures.js";

let testDb: TestDb;
let store: RoomTypeStore;
const today = "2026-03-01";

beforeAll(async () => {
  testDb = await openTestDb("acc_room_type_store");
  store = createRoomTypeStore(testDb.db);
});
afterAll(() => testDb?.close());

const draftProperty = () => createPropertyStore(testDb.db).create(newProperty(propertyInput(), randomUUID(), t0));
const addRoomType = (property: Property, input: Partial<RoomTypeInput> = {}, createdAt = t0) =>
  store.create(newRoomType(roomTypeInput(7, input), property, createdAt));
/** A change as UpdateRoomType makes it: the patch under `mask`, at `at(seconds)`. */
const patch = (p: RoomTypePatch, mask: string[], seconds = 1) => (r: RoomType) => applyRoomTypePatch(r, p, mask, "KRW", at(seconds));
const rename = (name: string) => patch({ name }, ["name"]);
const typesOn = async (propertyId: string) => {
  const rows = await testDb.db.select().from(events).where(eq(events.streamId, propertyId)).orderBy(asc(events.streamVersion));
  return rows.map((r) => r.type.replace("triphub.accommodation.v1.", ""));
};
const nightsOf = async (roomTypeId: string) =>
  (await testDb.db.select({ n: sql<number>`count(*)::int` }).from(inventory).where(eq(inventory.roomTypeId, roomTypeId)))[0].n;

describe("create and get", () => {
  it("stores a room type and reads it back unchanged", async () => {
    const property = await draftProperty();
    const input = {
      description: "Heated floor, garden view.", sizeSqm: 24, amenities: ["ondol", "tv", "private_bathroom"],
      photos: [{ url: "https://cdn.example.com/r.jpg", caption: "Room" }], beds: [{ type: "double", count: 1 }, { type: "futon", count: 2 }],
      weekendPrice: { amountMinor: 150_000, currency: "KRW" },
    };
    const fresh = newRoomType(roomTypeInput(3, input), property, at(7));
    const created = await store.create(fresh);
    expect(created).toEqual({ ...fresh, id: expect.any(String), version: 1 });
    expect(await store.get(created.id)).toEqual(created);
  });

  it.each([
    ["an unknown id", randomUUID()],
    ["a malformed id", "not-a-uuid"],
  ])("reads %s as undefined", async (_, id) => {
    expect(await store.get(id)).toBeUndefined();
  });
});

describe("listByProperty", () => {
  let big: Property;
  beforeAll(async () => {
    big = await draftProperty();
    await Promise.all(Array.from({ length: 101 }, (_, i) => addRoomType(big, { name: `Room ${i}` }, at(i))));
  });

  it("pages only that property's room types in creation order, ties broken by id, without gaps or repeats", async () => {
    const [mine, other] = [await draftProperty(), await draftProperty()];
    const created: RoomType[] = [];
    // Three created in the same instant: the id decides their order.
    for (const s of [2, 1, 1, 1, 0]) created.push(await addRoomType(mine, {}, at(s)));
    await addRoomType(other, {}, at(1));
    const expected = [...created].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    const pages: RoomType[][] = [];
    let token = "";
    do {
      const page = await store.listByProperty(mine.id, { pageSize: 2, pageToken: token });
      pages.push(page.roomTypes);
      token = page.nextPageToken;
    } while (token !== "");
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(expected);
    expect(await store.listByProperty(mine.id, { pageSize: 2 })).toEqual(await store.listByProperty(mine.id, { pageSize: 2 }));
  });

  it.each([
    [undefined, 50], [0, 50], [-3, 50], [1, 1], [2.7, 2], [100, 100], [101, 100], [1000, 100],
  ])("serves a page size of %s as %i room types", async (pageSize, served) => {
    const page = await store.listByProperty(big.id, { pageSize });
    expect(page.roomTypes).toHaveLength(served);
    expect(page.nextPageToken).not.toBe("");
  });

  it("ends with an empty token on the page that holds the last room type", async () => {
    const first = await store.listByProperty(big.id, { pageSize: 100 });
    const last = await store.listByProperty(big.id, { pageToken: first.nextPageToken });
    expect(last.roomTypes.map((r) => r.name)).toEqual(["Room 100"]);
    expect(last.nextPageToken).toBe("");
  });

  it.each([
    ["a property without room types", randomUUID()],
    ["a malformed property id", "nope"],
  ])("lists nothing for %s", async (_, propertyId) => {
    expect(await store.listByProperty(propertyId)).toEqual({ roomTypes: [], nextPageToken: "" });
  });

  it("refuses a page token it did not issue as invalid", async () => {
    const err = await rejection(store.listByProperty(big.id, { pageToken: "garbage" }));
    expect(err.kind).toBe("invalid");
  });
});

describe("updateRoomType", () => {
  it("saves a change under the current etag and moves the etag on", async () => {
    const rt = await addRoomType(await draftProperty());
    const updated = await store.updateRoomType(rt.id, etagOf(rt), patch({ name: "Garden Double" }, ["name"], 5), today);
    expect(updated).toEqual({ ...rt, name: "Garden Double", version: 2, updatedAt: at(5) });
    expect(etagOf(updated)).not.toBe(etagOf(rt));
    expect(await store.get(rt.id)).toEqual(updated);
  });

  it.each([undefined, ""])("applies a change unchecked when the etag is %j", async (etag) => {
    const rt = await addRoomType(await draftProperty());
    await store.updateRoomType(rt.id, undefined, rename("Moved on"), today);
    expect((await store.updateRoomType(rt.id, etag, rename("Unchecked"), today)).version).toBe(3);
  });

  it("refuses a stale etag as a conflict and writes nothing", async () => {
    const rt = await addRoomType(await draftProperty());
    const first = await store.updateRoomType(rt.id, etagOf(rt), rename("First editor"), today);
    const err = await rejection(store.updateRoomType(rt.id, etagOf(rt), rename("Second editor"), today));
    expect(err).toMatchObject({ kind: "conflict", details: { reason: "ETAG_MISMATCH" } });
    expect(await store.get(rt.id)).toEqual(first);
  });

  it("lets exactly one of several concurrent editors with the same etag win", async () => {
    const rt = await addRoomType(await draftProperty());
    const names = ["Alpha", "Bravo", "Charlie", "Delta"];
    const results = await Promise.allSettled(names.map((n) => store.updateRoomType(rt.id, etagOf(rt), rename(n), today)));
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(won).toHaveLength(1);
    const losers = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as DomainError).kind] : []));
    expect(losers).toEqual(["conflict", "conflict", "conflict"]);
    expect(await store.get(rt.id)).toEqual(won[0]);
    expect(won[0].version).toBe(2);
  });

  it("keeps the etag and records no event when the change alters nothing", async () => {
    const property = await draftProperty();
    const rt = await addRoomType(property);
    expect(await store.updateRoomType(rt.id, etagOf(rt), rename(rt.name), today)).toEqual(rt);
    expect(await typesOn(property.id)).toEqual(["PropertyCreated", "RoomTypeCreated"]);
  });
});

describe("delete", () => {
  it("deletes a room type under its etag together with its calendar nights", async () => {
    const { property, roomType } = await listedRoomType(testDb.db, 4);
    const settings = { priceOverride: { amountMinor: 99_000, currency: "KRW" } };
    await createCalendarStore(testDb.db).update(roomType.id, { startDate: "2026-06-01", endDate: "2026-06-04", weekdays: [], settings, mask: ["price_override"] }, today);
    expect(await nightsOf(roomType.id)).toBe(3);
    await store.delete(roomType.id, etagOf(roomType), today);
    expect(await store.get(roomType.id)).toBeUndefined();
    expect(await nightsOf(roomType.id)).toBe(0);
    expect((await store.listByProperty(property.id)).roomTypes).toEqual([]);
  });

  it("refuses a stale etag on delete as a conflict and keeps the room type", async () => {
    const rt = await addRoomType(await draftProperty());
    const current = await store.updateRoomType(rt.id, etagOf(rt), rename("Renamed"), today);
    expect((await rejection(store.delete(rt.id, etagOf(rt), today))).kind).toBe("conflict");
    expect(await store.get(rt.id)).toEqual(current);
  });

  it("refuses to delete while a hold or an unfinished stay uses the room type", async () => {
    const { property, roomType } = await listedRoomType(testDb.db, 2);
    const holds = createHoldStore(testDb.db);
    const reservationId = randomUUID();
    await holds.hold({ reservationId, propertyId: property.id, roomTypeId: roomType.id, checkIn: "2026-05-01", checkOut: "2026-05-03", units: 1, guests: { adults: 1, children: 0 } }, t0);
    const inUse = await rejection(store.delete(roomType.id, undefined, today));
    expect(inUse).toMatchObject({ kind: "precondition", details: { reason: "ROOM_TYPE_IN_USE" } });
    await holds.confirm(reservationId, at(60));
    expect((await rejection(store.delete(roomType.id, undefined, "2026-05-02"))).kind).toBe("precondition");
    await store.delete(roomType.id, undefined, "2026-05-03");
    expect(await store.get(roomType.id)).toBeUndefined();
  });
});

describe("unknown room types", () => {
  const ops = {
    updateRoomType: (id: string) => store.updateRoomType(id, undefined, rename("Ghost"), today),
    delete: (id: string) => store.delete(id, undefined, today),
  };
  it.each([
    ["updateRoomType", "an unknown id", randomUUID()],
    ["updateRoomType", "a malformed id", "not-a-uuid"],
    ["delete", "an unknown id", randomUUID()],
    ["delete", "a malformed id", "not-a-uuid"],
  ] as const)("%s of %s is not_found", async (op, _, id) => {
    expect((await rejection(ops[op](id))).kind).toBe("not_found");
  });

  it("treats a deleted room type as not found", async () => {
    const rt = await addRoomType(await draftProperty());
    await store.delete(rt.id, etagOf(rt), today);
    expect((await rejection(ops.updateRoomType(rt.id))).kind).toBe("not_found");
    expect((await rejection(ops.delete(rt.id))).kind).toBe("not_found");
  });
});

describe("readiness", () => {
  it("counts only that property's room types that have at least one unit", async () => {
    const [property, other] = [await draftProperty(), await draftProperty()];
    expect(await store.readiness(property.id)).toEqual({ sellableRoomTypes: 0 });
    const [a] = await Promise.all([addRoomType(property), addRoomType(property), addRoomType(property), addRoomType(other)]);
    expect(await store.readiness(property.id)).toEqual({ sellableRoomTypes: 3 });
    await store.updateRoomType(a.id, undefined, patch({}, ["unit_count"]), today);
    expect(await store.readiness(property.id)).toEqual({ sellableRoomTypes: 2 });
    expect(await store.readiness(other.id)).toEqual({ sellableRoomTypes: 1 });
  });

  it.each([randomUUID(), "not-a-uuid"])("reports nothing sellable for the unknown property %s", async (id) => {
    expect(await store.readiness(id)).toEqual({ sellableRoomTypes: 0 });
  });
});

describe("the outbox", () => {
  it("records each room-type write on the property's stream, and nothing for refused writes", async () => {
    const property = await draftProperty();
    const rt = await addRoomType(property);
    const updated = await store.updateRoomType(rt.id, etagOf(rt), patch({ unitCount: 9, name: "Big Room" }, ["name", "unit_count"]), today);
    await rejection(store.updateRoomType(rt.id, etagOf(rt), rename("Stale"), today));
    await rejection(store.delete(rt.id, etagOf(rt), today));
    await store.delete(rt.id, etagOf(updated), today);
    expect(await typesOn(property.id)).toEqual(["PropertyCreated", "RoomTypeCreated", "RoomTypeUpdated", "RoomTypeDeleted"]);

    const rows = await testDb.db.select().from(events).where(eq(events.streamId, property.id)).orderBy(asc(events.streamVersion));
    expect(rows.map((r) => [r.streamType, r.streamVersion])).toEqual([["property", 1], ["property", 2], ["property", 3], ["property", 4]]);
    expect(fromBinary(ev.RoomTypeCreatedSchema, rows[1].payload).roomType?.roomTypeId).toBe(rt.id);
    const change = fromBinary(ev.RoomTypeUpdatedSchema, rows[2].payload);
    expect([change.changedFields, change.roomType?.unitCount]).toEqual([["name", "unit_count"], 9]);
    expect(fromBinary(ev.RoomTypeDeletedSchema, rows[3].payload)).toMatchObject({ propertyId: property.id, roomTypeId: rt.id });
  });
});
