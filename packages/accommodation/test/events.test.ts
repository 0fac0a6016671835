import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { holdChanged, propertyChanged, roomTypeChanged, streamOf } from "../src/domain/events.js";
import type { Hold, HoldStatus } from "../src/domain/hold.js";
import { newProperty } from "../src/domain/property.js";
import type { Property } from "../src/domain/property.js";
import { newRoomType } from "../src/domain/room-type.js";
import { propertyInput, roomTypeInput, t0 } from "./fixtures.js";

const property: Property = { ...newProperty(propertyInput(), randomUUID(), t0), id: randomUUID() };
const hold = (status: HoldStatus) => ({ reservationId: "r-1", status }) as Hold;

describe("events of changes", () => {
  it.each([
    ["draft", "listed", "PropertyPublished"],
    ["unlisted", "listed", "PropertyPublished"],
    ["listed", "unlisted", "PropertyUnpublished"],
    ["listed", "listed", "PropertyUpdated"],
  ] as const)("names a property going from %s to %s %s", (from, to, type) => {
    expect(propertyChanged({ ...property, status: from }, { ...property, status: to }).type).toBe(type);
  });

  it("lists the fields a property update changed", () => {
    const e = propertyChanged(property, { ...property, name: "New", starRating: 4 });
    expect(e).toMatchObject({ type: "PropertyUpdated", changedFields: ["name", "star_rating"] });
  });

  it("lists the fields a room type update changed, on the property's stream", () => {
    const rt = { ...newRoomType(roomTypeInput(3), property, t0), id: randomUUID() };
    const e = roomTypeChanged(rt, { ...rt, unitCount: 4 });
    expect(e).toMatchObject({ type: "RoomTypeUpdated", changedFields: ["unit_count"] });
    expect(streamOf(e)).toEqual({ streamType: "property", streamId: property.id });
  });

  it.each([
    [undefined, "held", "InventoryHeld"],
    ["held", "confirmed", "HoldConfirmed"],
    ["held", "released", "HoldReleased"],
    ["confirmed", "released", "HoldReleased"],
    ["held", "expired", "HoldExpired"],
  ] as const)("names a hold going from %s to %s %s, on the reservation's stream", (from, to, type) => {
    const e = holdChanged(from && hold(from), hold(to));
    expect(e?.type).toBe(type);
    expect(e && streamOf(e)).toEqual({ streamType: "hold", streamId: "r-1" });
  });

  it("records no event when a hold's status stays", () => {
    expect(holdChanged(hold("confirmed"), hold("confirmed"))).toBeUndefined();
  });
});
