import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newProperty } from "../src/domain/property.js";
import { REQUEST_ID_TTL_MS } from "../src/domain/request-id.js";
import type { RequestKey } from "../src/domain/request-id.js";
import { newRoomType } from "../src/domain/room-type.js";
import { createPropertyStore } from "../src/store/property-store.js";
import { purgeRequestIds } from "../src/store/request-ids.js";
import { createRoomTypeStore } from "../src/store/room-type-store.js";
import { properties, requestIds, roomTypes } from "../src/store/schema.js";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";
import { at, propertyInput, rejection, roomTypeInput, t0 } from "./fixtures.js";

// Several pools, as several service instances would have, so duplicates really race.
let main: TestDb;
let pools: TestDb[] = [];

beforeAll(async () => {
  main = await openTestDb("acc_request_ids");
  pools = await Promise.all(Array.from({ length: 4 }, () => main.connect(10)));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await main?.close();
});

const key = (over: Partial<RequestKey> = {}): RequestKey => ({
  callerId: randomUUID(),
  method: "CreateProperty",
  requestId: randomUUID(),
  fingerprint: "f1",
  ...over,
});

async function ownedBy(ownerId: string) {
  return main.db.select({ id: properties.id }).from(properties).where(eq(properties.ownerId, ownerId));
}

describe("request ids of CreateProperty", () => {
  it("returns the first property to a retry and creates nothing more", async () => {
    const store = createPropertyStore(main.db);
    const k = key();
    const first = await store.create(newProperty(propertyInput(), k.callerId, t0), k);
    const again = await store.create(newProperty(propertyInput(), k.callerId, at(30)), k);
    expect(again).toEqual(first);
    expect(await ownedBy(k.callerId)).toHaveLength(1);
  });

  it("creates exactly one property for many concurrent duplicates", async () => {
    const k = key();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => createPropertyStore(pools[i % pools.length].db).create(newProperty(propertyInput(), k.callerId, t0), k)),
    );
    expect(new Set(results.map((p) => p.id)).size).toBe(1);
    expect(await ownedBy(k.callerId)).toHaveLength(1);
  });

  it("refuses the same request id with a different request", async () => {
    const store = createPropertyStore(main.db);
    const k = key();
    await store.create(newProperty(propertyInput(), k.callerId, t0), k);
    const err = await rejection(store.create(newProperty(propertyInput({ name: "Other" }), k.callerId, t0), { ...k, fingerprint: "f2" }));
    expect(err.kind).toBe("invalid");
    expect(err.details.reason).toBe("REQUEST_ID_REUSED");
    expect(err.details.violations?.[0]?.field).toBe("request_id");
    expect(await ownedBy(k.callerId)).toHaveLength(1);
  });

  it("scopes request ids per caller and per method", async () => {
    const store = createPropertyStore(main.db);
    const a = key();
    const b = { ...a, callerId: randomUUID() };
    const p1 = await store.create(newProperty(propertyInput(), a.callerId, t0), a);
    const p2 = await store.create(newProperty(propertyInput(), b.callerId, t0), b);
    expect(p2.id).not.toBe(p1.id);
    // The same id for CreateRoomType is another key, even with the same caller.
    const rt = await createRoomTypeStore(main.db).create(newRoomType(roomTypeInput(), p1, t0), { ...a, method: "CreateRoomType" });
    expect(rt.propertyId).toBe(p1.id);
  });

  it("honours a request id for a day, then treats it as new", async () => {
    const store = createPropertyStore(main.db);
    const k = key();
    const first = await store.create(newProperty(propertyInput(), k.callerId, t0), k);
    const within = await store.create(newProperty(propertyInput(), k.callerId, at(REQUEST_ID_TTL_MS / 1000 - 1)), k);
    expect(within.id).toBe(first.id);
    const after = await store.create(newProperty(propertyInput(), k.callerId, at(REQUEST_ID_TTL_MS / 1000)), k);
    expect(after.id).not.toBe(first.id);
  });

  it("answers not_found when the property the request created was deleted since", async () => {
    const store = createPropertyStore(main.db);
    const k = key();
    const first = await store.create(newProperty(propertyInput(), k.callerId, t0), k);
    await store.delete(first.id, undefined, t0);
    const err = await rejection(store.create(newProperty(propertyInput(), k.callerId, t0), k));
    expect(err.kind).toBe("not_found");
    expect(await ownedBy(k.callerId)).toHaveLength(0);
  });

  it("keeps no request id when the create fails", async () => {
    const store = createPropertyStore(main.db);
    const k = key();
    await expect(store.create({ ...newProperty(propertyInput(), k.callerId, t0), starRating: 9 }, k)).rejects.toThrow();
    const [row] = await main.db.select().from(requestIds).where(eq(requestIds.requestId, k.requestId));
    expect(row).toBeUndefined();
  });
});

describe("request ids of CreateRoomType", () => {
  it("creates exactly one room type for many concurrent duplicates", async () => {
    const owner = randomUUID();
    const property = await createPropertyStore(main.db).create(newProperty(propertyInput(), owner, t0));
    const k = key({ callerId: owner, method: "CreateRoomType" });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => createRoomTypeStore(pools[i % pools.length].db).create(newRoomType(roomTypeInput(), property, t0), k)),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const rows = await main.db.select().from(roomTypes).where(eq(roomTypes.propertyId, property.id));
    expect(rows).toHaveLength(1);
  });
});

describe("purging request ids", () => {
  it("deletes only the keys that expired", async () => {
    const before = await main.db.execute<{ n: number }>(sql`select count(*)::int as n from request_ids`);
    const store = createPropertyStore(main.db);
    const far = new Date(t0.getTime() + 400 * 24 * 3600 * 1000);
    const fresh = key();
    await store.create(newProperty(propertyInput(), fresh.callerId, far), fresh);
    const purged = await purgeRequestIds(main.db, new Date(far.getTime() + 1000), 2);
    expect(purged).toBeGreaterThan(0);
    await purgeRequestIds(main.db, new Date(far.getTime() + 1000));
    const left = await main.db.select().from(requestIds);
    expect(left.map((r) => r.requestId)).toEqual([fresh.requestId]);
    expect(before[0].n).toBeGreaterThan(1);
  });
});
