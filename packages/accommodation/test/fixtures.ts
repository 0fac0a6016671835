import { randomUUID } from "node:crypto";
import { DomainError } from "@triphub/platform/domain-error";
import { rejectionOf } from "@triphub/testkit";
import { newProperty } from "../src/domain/property.js";
import type { Property, PropertyInput } from "../src/domain/property.js";
import { newRoomType } from "../src/domain/room-type.js";
import type { RoomType, RoomTypeInput } from "../src/domain/room-type.js";
import type { AccommodationDb } from "../src/store/db.js";
import { createPropertyStore } from "../src/store/property-store.js";
import { createRoomTypeStore } from "../src/store/room-type-store.js";

/** A clock well before the dates the tests book, so every stay is in the future. */
export const t0 = new Date("2026-03-01T00:00:00.000Z");
/** `t0` plus `seconds`. */
export const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

/** A complete, valid host input for a Seoul guesthouse. */
export function propertyInput(overrides: Partial<PropertyInput & { currency: string }> = {}): PropertyInput & { currency: string } {
  return {
    name: "Bukchon Hanok Stay",
    description: "A quiet hanok near the palaces.",
    type: "hanok",
    address: {
      line1: "37 Bukchon-ro 11-gil",
      line2: "",
      city: "Seoul",
      region: "Seoul",
      postalCode: "03055",
      countryCode: "KR",
      latitude: 37.5826,
      longitude: 126.9831,
    },
    amenities: ["wifi", "ondol"],
    photos: [{ url: "https://cdn.example.com/a.jpg", caption: "Courtyard" }],
    houseRules: ["No parties"],
    checkInTime: "15:00",
    checkOutTime: "11:00",
    timeZone: "Asia/Seoul",
    cancellationPolicy: "moderate",
    starRating: 0,
    currency: "KRW",
    ...overrides,
  };
}

/** A valid room type input: `units` identical double rooms at 120,000 KRW. */
export function roomTypeInput(units = 7, overrides: Partial<RoomTypeInput> = {}): RoomTypeInput {
  return {
    name: "Ondol Double",
    maxAdults: 2,
    maxChildren: 1,
    beds: [{ type: "floor_mattress", count: 2 }],
    unitCount: units,
    basePrice: { amountMinor: 120_000, currency: "KRW" },
    ...overrides,
  };
}

/** A LISTED property with one room type of `units` units, stored in `db`. */
export async function listedRoomType(db: AccommodationDb, units = 7): Promise<{ property: Property; roomType: RoomType }> {
  const properties = createPropertyStore(db);
  const created = await properties.create(newProperty(propertyInput(), randomUUID(), t0));
  const roomType = await createRoomTypeStore(db).create(newRoomType(roomTypeInput(units), created, t0));
  const property = await properties.updateProperty(created.id, undefined, (p) => ({ ...p, status: "listed", publishedAt: t0 }));
  return { property, roomType };
}

/** The DomainError a promise rejects with (fails the test if it resolves or throws something else). */
export const rejection = (p: Promise<unknown>): Promise<DomainError> => rejectionOf(p, DomainError);

/** The DomainError a function throws. */
export function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error("expected a DomainError");
}
