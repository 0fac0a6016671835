import { DomainError } from "@triphub/platform/domain-error";
import type { FieldViolation } from "@triphub/platform/domain-error";
import type { Property } from "./property.js";
import { touch } from "./version.js";

/** What publishing needs to know about a property's room types. */
export interface RoomTypeReadiness {
  /** Room types that have at least one unit and a base price above zero. */
  sellableRoomTypes: number;
}

/** What a property still lacks before it can be listed, as field violations (empty: ready). */
export function missingForPublish(property: Property, rooms: RoomTypeReadiness): FieldViolation[] {
  const missing: FieldViolation[] = [];
  const need = (ok: boolean, field: string, description: string) => {
    if (!ok) missing.push({ field, description });
  };
  need(property.description.trim() !== "", "property.description", "is required to publish");
  need(property.photos.length > 0, "property.photos", "at least one photo is required to publish");
  need(property.checkInTime !== "", "property.check_in_time", "is required to publish");
  need(property.checkOutTime !== "", "property.check_out_time", "is required to publish");
  need(rooms.sellableRoomTypes > 0, "room_types", "at least one room type with units and a base price is required");
  return missing;
}

/**
 * Makes a DRAFT or UNLISTED property LISTED at `now`. Idempotent: a LISTED property comes
 * back unchanged. "precondition" naming what is missing unless it is complete.
 */
export function publishProperty(property: Property, rooms: RoomTypeReadiness, now: Date): Property {
  if (property.status === "listed") return property;
  const missing = missingForPublish(property, rooms);
  if (missing.length > 0) {
    throw new DomainError("precondition", "the property is not ready to publish", {
      violations: missing,
      reason: "PROPERTY_INCOMPLETE",
    });
  }
  return { ...touch(property, now), status: "listed", publishedAt: now };
}

/**
 * Makes a LISTED property UNLISTED at `now`: hidden and not bookable; existing reservations
 * stand. Idempotent for an UNLISTED one; a DRAFT stays a draft (it was never listed).
 */
export function unpublishProperty(property: Property, now: Date): Property {
  if (property.status !== "listed") return property;
  return { ...touch(property, now), status: "unlisted" };
}
