import { Code } from "@connectrpc/connect";
import { Amenity, PropertyStatus, PropertyType } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailsOf, doubleRoom, guesthouse, host, listedProperty, type Platform, rpcError, startPlatform } from "./rpc-harness.js";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform("acc_rpc_properties");
});
afterAll(() => p?.close());

describe("creating properties", () => {
  it("lets a HOST create a DRAFT property they own, with an etag", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    expect(property).toMatchObject({
      ownerId: owner.userId,
      name: "Bukchon Hanok Stay",
      propertyType: PropertyType.HANOK,
      amenities: [Amenity.WIFI, Amenity.ONDOL],
      status: PropertyStatus.DRAFT,
      currencyCode: "KRW",
      address: { city: "Seoul", location: { latitude: 37.5826, longitude: 126.9831 } },
    });
    expect(property?.etag).not.toBe("");
    expect(property?.createTime).toBeDefined();
  });

  it("refuses a guest (PERMISSION_DENIED) and an anonymous caller (UNAUTHENTICATED)", async () => {
    const guest = await p.user();
    expect((await rpcError(guest.api.createProperty({ property: guesthouse() }))).code).toBe(Code.PermissionDenied);
    expect((await rpcError(p.internal.createProperty({ property: guesthouse() }))).code).toBe(Code.Unauthenticated);
  });

  it("lets an ADMIN create a property", async () => {
    const { property } = await p.admin.api.createProperty({ property: guesthouse({ name: "Admin Inn" }) });
    expect(property?.ownerId).toBe(p.admin.userId);
  });

  it.each([
    ["an unknown amenity", guesthouse({ amenities: [999 as Amenity] }), "amenities"],
    ["an unknown time zone", guesthouse({ timeZone: "Mars/Olympus_Mons" }), "property.time_zone"],
    ["a photo that is not https", guesthouse({ photos: [{ url: "http://example.com/a.jpg" }] }), "photos[0].url"],
  ])("answers INVALID_ARGUMENT for %s and stores nothing", async (_case, property, field) => {
    const owner = await host(p);
    const err = await rpcError(owner.api.createProperty({ property }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(detailsOf(err).fields.join(" ")).toContain(field);
    expect((await owner.api.listMyProperties({})).properties).toEqual([]);
  });
});

describe("reading and listing", () => {
  it("shows a draft to its owner and an admin, and NOT_FOUND to anyone else", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const id = property!.propertyId;
    expect((await owner.api.getProperty({ propertyId: id })).property?.name).toBe("Bukchon Hanok Stay");
    expect((await p.admin.api.getProperty({ propertyId: id })).property?.ownerId).toBe(owner.userId);
    const other = await host(p);
    const guest = await p.user();
    expect((await rpcError(other.api.getProperty({ propertyId: id }))).code).toBe(Code.NotFound);
    expect((await rpcError(guest.api.getProperty({ propertyId: id }))).code).toBe(Code.NotFound);
    expect((await rpcError(other.api.listRoomTypes({ propertyId: id }))).code).toBe(Code.NotFound);
  });

  it("keeps the host's record of a listed property from other hosts (PERMISSION_DENIED)", async () => {
    const owner = await host(p);
    const { property } = await listedProperty(owner);
    const other = await host(p);
    expect((await rpcError(other.api.getProperty({ propertyId: property.propertyId }))).code).toBe(Code.PermissionDenied);
  });

  it("lists only the caller's properties, filtered by status and paged", async () => {
    const owner = await host(p);
    await owner.api.createProperty({ property: guesthouse({ name: "One" }) });
    await owner.api.createProperty({ property: guesthouse({ name: "Two" }) });
    await listedProperty(owner);
    await (await host(p)).api.createProperty({ property: guesthouse({ name: "Someone else's" }) });
    const all = await owner.api.listMyProperties({});
    expect(all.properties.map((x) => x.name).sort()).toEqual(["Bukchon Hanok Stay", "One", "Two"]);
    const drafts = await owner.api.listMyProperties({ status: PropertyStatus.DRAFT });
    expect(drafts.properties.map((x) => x.name).sort()).toEqual(["One", "Two"]);
    const first = await owner.api.listMyProperties({ pageSize: 2 });
    const second = await owner.api.listMyProperties({ pageSize: 2, pageToken: first.nextPageToken });
    expect(first.properties).toHaveLength(2);
    expect(second.properties).toHaveLength(1);
    expect(second.nextPageToken).toBe("");
    expect((await rpcError((await p.user()).api.listMyProperties({}))).code).toBe(Code.PermissionDenied);
  });

  it.each([
    ["another status", { status: PropertyStatus.DRAFT }, false],
    ["another host", {}, true],
  ])("refuses a ListMyProperties page token for %s as INVALID_ARGUMENT on page_token", async (_case, filter, otherHost) => {
    const owner = await host(p);
    for (const name of ["One", "Two", "Three"]) await owner.api.createProperty({ property: guesthouse({ name }) });
    const first = await owner.api.listMyProperties({ pageSize: 2 });
    const caller = otherHost ? await host(p) : owner;
    const err = await rpcError(caller.api.listMyProperties({ ...filter, pageToken: first.nextPageToken }));
    expect(detailsOf(err)).toMatchObject({ code: Code.InvalidArgument, fields: ["page_token"] });
  });
});

describe("updating", () => {
  it("changes only the masked fields and moves the etag on", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const { property: updated } = await owner.api.updateProperty({
      property: { propertyId: property!.propertyId, etag: property!.etag, name: "Renamed", description: "" },
      updateMask: { paths: ["description"] },
    });
    expect(updated).toMatchObject({ name: "Bukchon Hanok Stay", description: "" });
    expect(updated?.etag).not.toBe(property?.etag);
  });

  it("answers ABORTED for a stale etag and writes nothing", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const id = property!.propertyId;
    await owner.api.updateProperty({ property: { propertyId: id, etag: property!.etag, name: "First editor" } });
    const err = await rpcError(owner.api.updateProperty({ property: { propertyId: id, etag: property!.etag, name: "Second editor" } }));
    expect(detailsOf(err)).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    expect((await owner.api.getProperty({ propertyId: id })).property?.name).toBe("First editor");
  });

  it("refuses another host (NOT_FOUND for a draft, PERMISSION_DENIED once listed) but lets an admin edit", async () => {
    const owner = await host(p);
    const other = await host(p);
    const { property: draft } = await owner.api.createProperty({ property: guesthouse() });
    const edit = (who: typeof owner, id: string, etag: string) => who.api.updateProperty({ property: { propertyId: id, etag, name: "Mine now" } });
    expect((await rpcError(edit(other, draft!.propertyId, draft!.etag))).code).toBe(Code.NotFound);
    const { property: listed } = await listedProperty(owner);
    expect((await rpcError(edit(other, listed.propertyId, listed.etag))).code).toBe(Code.PermissionDenied);
    expect((await rpcError(other.api.deleteProperty({ propertyId: listed.propertyId }))).code).toBe(Code.PermissionDenied);
    const byAdmin = await edit(p.admin, listed.propertyId, listed.etag);
    expect(byAdmin.property).toMatchObject({ name: "Mine now", ownerId: owner.userId });
  });

  it("refuses an unknown amenity and an uncleared name as INVALID_ARGUMENT, changing nothing", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const id = property!.propertyId;
    const unknown = owner.api.updateProperty({ property: { propertyId: id, etag: property!.etag, amenities: [Amenity.POOL, 4242 as Amenity] } });
    expect((await rpcError(unknown)).code).toBe(Code.InvalidArgument);
    const cleared = owner.api.updateProperty({ property: { propertyId: id, etag: property!.etag }, updateMask: { paths: ["name"] } });
    expect(detailsOf(await rpcError(cleared))).toMatchObject({ code: Code.InvalidArgument, fields: ["property.name"] });
    expect((await owner.api.getProperty({ propertyId: id })).property).toEqual(property);
  });
});

describe("publishing", () => {
  it("refuses to publish an incomplete property, naming what is missing", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse({ description: "", photos: [], checkInTime: "" }) });
    const err = await rpcError(owner.api.publishProperty({ propertyId: property!.propertyId }));
    const details = detailsOf(err);
    expect(details).toMatchObject({ code: Code.FailedPrecondition, reason: "PROPERTY_INCOMPLETE" });
    expect(details.fields.sort()).toEqual(["property.check_in_time", "property.description", "property.photos", "room_types"]);
    expect((await owner.api.getProperty({ propertyId: property!.propertyId })).property?.status).toBe(PropertyStatus.DRAFT);
  });

  it("lists a complete property idempotently, then unlists it out of others' sight", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const id = property!.propertyId;
    await owner.api.createRoomType({ propertyId: id, roomType: doubleRoom() });
    const listed = (await owner.api.publishProperty({ propertyId: id })).property!;
    expect(listed.status).toBe(PropertyStatus.LISTED);
    expect(listed.publishTime).toBeDefined();
    expect((await owner.api.publishProperty({ propertyId: id })).property?.etag).toBe(listed.etag);
    const guest = await p.user();
    expect((await rpcError(guest.api.getProperty({ propertyId: id }))).code).toBe(Code.PermissionDenied);
    expect((await owner.api.unpublishProperty({ propertyId: id })).property?.status).toBe(PropertyStatus.UNLISTED);
    expect((await rpcError(guest.api.getProperty({ propertyId: id }))).code).toBe(Code.NotFound);
  });
});

describe("deleting", () => {
  it("deletes a property with its room types, honouring the etag", async () => {
    const owner = await host(p);
    const { property, roomType } = await listedProperty(owner);
    const id = property.propertyId;
    expect((await rpcError(owner.api.deleteProperty({ propertyId: id, etag: '"v1"' }))).code).toBe(Code.Aborted);
    await owner.api.deleteProperty({ propertyId: id, etag: property.etag });
    expect((await rpcError(owner.api.getProperty({ propertyId: id }))).code).toBe(Code.NotFound);
    expect((await rpcError(p.admin.api.getRoomType({ propertyId: id, roomTypeId: roomType.roomTypeId }))).code).toBe(Code.NotFound);
  });
});
