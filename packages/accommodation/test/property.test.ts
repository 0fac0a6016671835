import { describe, expect, it } from "vitest";
import { canEdit, canView } from "../src/domain/access.js";
import type { Actor } from "../src/domain/access.js";
import { applyPropertyPatch, changedPropertyFields } from "../src/domain/property-patch.js";
import { publishProperty, unpublishProperty } from "../src/domain/property-status.js";
import { newProperty } from "../src/domain/property.js";
import type { Property, PropertyStatus } from "../src/domain/property.js";
import { checkEtag, etagOf } from "../src/domain/version.js";
import { at, propertyInput, t0, thrown } from "./fixtures.js";

const owner = "owner-1";
const draft: Property = { ...newProperty(propertyInput(), owner, t0), id: "p1" };

describe("newProperty", () => {
  it("creates a draft at version 1 with no rating", () => {
    expect(draft).toMatchObject({ status: "draft", version: 1, ownerId: owner, ratingSummary: { average: 0, count: 0 }, publishedAt: undefined });
  });

  it.each([
    ["a one-letter name", { name: "A" }, "property.name"],
    ["an unknown amenity", { amenities: ["wifi", "helipad"] }, "property.amenities"],
    ["a repeated amenity", { amenities: ["wifi", "wifi"] }, "property.amenities"],
    ["an unknown type", { type: "castle" }, "property.property_type"],
    ["an unknown time zone", { timeZone: "Asia/Atlantis" }, "property.time_zone"],
    ["a 25-hour check-in time", { checkInTime: "25:00" }, "property.check_in_time"],
    ["a non-https photo", { photos: [{ url: "http://x.example/a.jpg", caption: "" }] }, "property.photos[0].url"],
    ["an unknown policy", { cancellationPolicy: "lenient" }, "property.cancellation_policy"],
    ["a lower-case currency", { currency: "krw" }, "property.currency_code"],
    ["a latitude off the globe", { address: { ...propertyInput().address, latitude: 91 } }, "property.address.location.latitude"],
  ])("refuses %s", (_what, over, field) => {
    const err = thrown(() => newProperty(propertyInput(over), owner, t0));
    expect(err.kind).toBe("invalid");
    expect(err.details.violations?.map((v) => v.field)).toContain(field);
  });

  it("reports every violation at once", () => {
    const err = thrown(() => newProperty(propertyInput({ name: "", timeZone: "", currency: "" }), owner, t0));
    expect(err.details.violations?.map((v) => v.field)).toEqual(["property.name", "property.time_zone", "property.currency_code"]);
  });
});

describe("applyPropertyPatch", () => {
  it("applies only the populated fields without a mask, and bumps the version", () => {
    const p = applyPropertyPatch(draft, { name: "New Name", description: "" }, undefined, at(1));
    expect(p).toMatchObject({ name: "New Name", description: draft.description, version: 2, updatedAt: at(1) });
    expect(changedPropertyFields(draft, p)).toEqual(["name"]);
  });

  it("clears a masked field left empty", () => {
    expect(applyPropertyPatch(draft, {}, ["amenities", "house_rules"], at(1))).toMatchObject({ amenities: [], houseRules: [] });
  });

  it("returns the property itself when nothing changes", () => {
    expect(applyPropertyPatch(draft, { name: draft.name }, ["name"], at(1))).toBe(draft);
  });

  it.each([
    [["name"], "property.name"],
    [["time_zone"], "property.time_zone"],
    [["address"], "property.address"],
  ])("refuses to clear %j", (mask, field) => {
    expect(thrown(() => applyPropertyPatch(draft, {}, mask, at(1))).details.violations?.[0].field).toBe(field);
  });

  it.each(["status", "currency_code", "owner_id", "etag"])("refuses the mask path %s", (path) => {
    const err = thrown(() => applyPropertyPatch(draft, {}, ["name", path], at(1)));
    expect(err.details.violations?.[0].field).toBe("update_mask.paths[1]");
  });
});

describe("publishing", () => {
  it("lists a complete property that has a sellable room type, idempotently", () => {
    const listed = publishProperty(draft, { sellableRoomTypes: 1 }, at(1));
    expect(listed).toMatchObject({ status: "listed", publishedAt: at(1), version: 2 });
    expect(publishProperty(listed, { sellableRoomTypes: 1 }, at(2))).toBe(listed);
    expect(unpublishProperty(listed, at(3))).toMatchObject({ status: "unlisted", version: 3 });
  });

  it("names everything a property lacks before it can be published", () => {
    const bare = { ...draft, description: "", photos: [], checkInTime: "" };
    const err = thrown(() => publishProperty(bare, { sellableRoomTypes: 0 }, at(1)));
    expect(err.kind).toBe("precondition");
    expect(err.details.violations?.map((v) => v.field)).toEqual(["property.description", "property.photos", "property.check_in_time", "room_types"]);
  });

  it("keeps a draft a draft on unpublish", () => {
    expect(unpublishProperty(draft, at(1))).toBe(draft);
  });
});

describe("etags", () => {
  it("accepts the current etag or none, and calls a stale one a conflict", () => {
    const next = applyPropertyPatch(draft, { name: "Other" }, ["name"], at(1));
    expect(() => checkEtag(etagOf(next), next, "property")).not.toThrow();
    expect(() => checkEtag(undefined, next, "property")).not.toThrow();
    expect(thrown(() => checkEtag(etagOf(draft), next, "property")).kind).toBe("conflict");
  });
});

describe("access", () => {
  const host = (userId: string): Actor => ({ userId, roles: ["GUEST", "HOST"] });
  const admin: Actor = { userId: "admin", roles: ["GUEST", "ADMIN"] };
  const guest: Actor = { userId: owner, roles: ["GUEST"] };

  it.each<[string, Actor | undefined, boolean]>([
    ["the owning host", host(owner), true],
    ["another host", host("someone-else"), false],
    ["an admin", admin, true],
    ["the owner without the HOST role", guest, false],
    ["an anonymous caller", undefined, false],
  ])("lets %s edit: %s", (_who, actor, expected) => {
    expect(canEdit(actor, draft)).toBe(expected);
  });

  it.each<[PropertyStatus, Actor | undefined, boolean]>([
    ["listed", undefined, true],
    ["draft", undefined, false],
    ["draft", host("someone-else"), false],
    ["draft", host(owner), true],
    ["unlisted", admin, true],
    ["unlisted", host("someone-else"), false],
  ])("shows a %s property to %j: %s", (status, actor, expected) => {
    expect(canView(actor, { ...draft, status })).toBe(expected);
  });
});
