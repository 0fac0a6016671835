// The read cache in front of search and details: a change is visible on the next read, and
// nothing a caller may not see is ever served from the cache.
import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guesthouse, host, listedProperty, type Platform, rpcError, startPlatform, type TestUser } from "./rpc-harness.js";

let p: Platform;
let owner: TestUser;
beforeAll(async () => {
  p = await startPlatform("acc_rpc_cache");
  owner = await host(p);
});
afterAll(() => p?.close());

const stay = { checkIn: "2026-05-01", checkOut: "2026-05-03" };

describe("read cache", () => {
  it("shows a host's change on the very next read of the details", async () => {
    const { property } = await listedProperty(owner);
    const id = property.propertyId;
    expect((await p.internal.getAccommodation({ propertyId: id })).property?.name).toBe(property.name);
    expect((await p.internal.getAccommodation({ propertyId: id })).property?.name).toBe(property.name);
    await owner.api.updateProperty({ property: { propertyId: id, etag: property.etag, name: "Renamed Hanok" }, updateMask: { paths: ["name"] } });
    expect((await p.internal.getAccommodation({ propertyId: id })).property?.name).toBe("Renamed Hanok");
  });

  it("keeps other properties' details cached when one property changes", async () => {
    const a = (await listedProperty(owner)).property;
    const b = (await listedProperty(owner)).property;
    expect((await p.internal.getAccommodation({ propertyId: b.propertyId })).property?.name).toBe(b.name);
    // Changed behind the service's back: only a cache miss would show it.
    await p.database.sql`update properties set name = 'Renamed Behind' where id = ${b.propertyId}`;
    await owner.api.updateProperty({ property: { propertyId: a.propertyId, etag: a.etag, name: "A Renamed" }, updateMask: { paths: ["name"] } });
    expect((await p.internal.getAccommodation({ propertyId: a.propertyId })).property?.name).toBe("A Renamed");
    expect((await p.internal.getAccommodation({ propertyId: b.propertyId })).property?.name).toBe(b.name);
  });

  it("shows a hold that takes the last room on the next search", async () => {
    const { property, roomType } = await listedProperty(owner, 1);
    const query = { destination: property.address!.city, ...stay, adults: 2, pageSize: 50 };
    const found = async () => (await p.internal.searchAccommodations(query)).results.some((r) => r.accommodation?.propertyId === property.propertyId);
    expect(await found()).toBe(true);
    expect(await found()).toBe(true);
    await p.internal.holdInventory({
      propertyId: property.propertyId,
      roomTypeId: roomType.roomTypeId,
      reservationId: randomUUID(),
      ...stay,
      units: 1,
      guests: { adults: 2, children: 0 },
    });
    expect(await found()).toBe(false);
  });

  it("never serves a draft from the cache to anyone but its owner", async () => {
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const id = property!.propertyId;
    // The owner reads it first; a cached copy must not reach a stranger or an anonymous caller.
    expect((await owner.api.getAccommodation({ propertyId: id })).property?.propertyId).toBe(id);
    expect((await owner.api.getAccommodation({ propertyId: id })).property?.propertyId).toBe(id);
    expect((await rpcError(p.internal.getAccommodation({ propertyId: id }))).code).toBe(Code.NotFound);
    expect((await rpcError((await p.user()).api.getAccommodation({ propertyId: id }))).code).toBe(Code.NotFound);
  });

  it("hides a property on the next read once it is unpublished", async () => {
    const { property } = await listedProperty(owner);
    const id = property.propertyId;
    await p.internal.getAccommodation({ propertyId: id });
    await owner.api.unpublishProperty({ propertyId: id });
    expect((await rpcError(p.internal.getAccommodation({ propertyId: id }))).code).toBe(Code.NotFound);
  });
});
