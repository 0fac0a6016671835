import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPropertyPatch } from "../src/domain/property-patch.js";
import { newProperty } from "../src/domain/property.js";
import { etagOf } from "../src/domain/version.js";
import { createHoldStore } from "../src/store/hold-store.js";
import { createPropertyStore } from "../src/store/property-store.js";
import type { PropertyStore } from "../src/store/property-store.js";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";
import { at, listedRoomType, propertyInput, rejection, t0 } from "./fixtures.js";

let testDb: TestDb;
let store: PropertyStore;

beforeAll(async () => {
  testDb = await openTestDb("acc_property_store");
  store = createPropertyStore(testDb.db);
});
afterAll(() => testDb?.close());

describe("property CRUD", () => {
  it("stores a draft and reads it back unchanged", async () => {
    const created = await store.create(newProperty(propertyInput(), randomUUID(), t0));
    expect(created).toMatchObject({ status: "draft", version: 1, name: "Bukchon Hanok Stay", amenities: ["wifi", "ondol"] });
    expect(await store.get(created.id)).toEqual(created);
  });

  it("saves a patch under the current etag and moves the etag on", async () => {
    const p = await store.create(newProperty(propertyInput(), randomUUID(), t0));
    const updated = await store.updateProperty(p.id, etagOf(p), (cur) => applyPropertyPatch(cur, { name: "Renamed" }, ["name"], at(5)));
    expect(updated).toMatchObject({ name: "Renamed", version: 2, updatedAt: at(5) });
    expect(etagOf(updated)).not.toBe(etagOf(p));
  });

  it("moves the etag on for every saved change, even one that leaves the counter alone", async () => {
    const p = await store.create(newProperty(propertyInput(), randomUUID(), t0));
    const updated = await store.updateProperty(p.id, etagOf(p), (cur) => ({ ...cur, name: "Same counter" }));
    expect(updated).toMatchObject({ name: "Same counter", version: p.version + 1 });
    expect(etagOf(updated)).not.toBe(etagOf(p));
  });

  it("refuses a stale etag as a conflict and writes nothing", async () => {
    const p = await store.create(newProperty(propertyInput(), randomUUID(), t0));
    await store.updateProperty(p.id, etagOf(p), (cur) => applyPropertyPatch(cur, { name: "First editor" }, ["name"], at(1)));
    const err = await rejection(store.updateProperty(p.id, etagOf(p), (cur) => applyPropertyPatch(cur, { name: "Second" }, ["name"], at(2))));
    expect(err.kind).toBe("conflict");
    expect((await store.get(p.id))?.name).toBe("First editor");
  });

  it("lets exactly one of two concurrent editors with the same etag win", async () => {
    const p = await store.create(newProperty(propertyInput(), randomUUID(), t0));
    const edit = (name: string) => store.updateProperty(p.id, etagOf(p), (cur) => applyPropertyPatch(cur, { name }, ["name"], at(1)));
    const results = await Promise.allSettled([edit("Alpha"), edit("Bravo"), edit("Charlie")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("deletes a property, but not while it has a live hold", async () => {
    const { property, roomType } = await listedRoomType(testDb.db, 2);
    const reservationId = randomUUID();
    await createHoldStore(testDb.db).hold(
      { reservationId, propertyId: property.id, roomTypeId: roomType.id, checkIn: "2026-05-01", checkOut: "2026-05-02", units: 1, guests: { adults: 1, children: 0 } },
      t0,
    );
    expect((await rejection(store.delete(property.id, undefined, t0))).kind).toBe("precondition");
    await createHoldStore(testDb.db).release(reservationId, "reservation_failed", t0);
    await store.delete(property.id, etagOf(property), t0);
    expect(await store.get(property.id)).toBeUndefined();
    expect((await rejection(store.delete(property.id, undefined, t0))).kind).toBe("not_found");
  });
});

describe("listByOwner", () => {
  it("pages most recently updated first without gaps or repeats, filtered by status", async () => {
    const owner = randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.create(newProperty(propertyInput({ name: `Stay ${i}` }), owner, at(i)))).id);
    const seen: string[] = [];
    let token = "";
    do {
      const page = await store.listByOwner(owner, { pageSize: 2, pageToken: token });
      seen.push(...page.properties.map((p) => p.id));
      token = page.nextPageToken;
    } while (token !== "");
    expect(seen).toEqual([...ids].reverse());
    expect((await store.listByOwner(owner, { status: "listed" })).properties).toEqual([]);
    expect((await rejection(store.listByOwner(owner, { pageToken: "garbage" }))).kind).toBe("invalid");
  });
});
