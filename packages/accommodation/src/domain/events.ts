import type { CalendarUpdate } from "./calendar-update.js";
import type { Hold } from "./hold.js";
import type { Property, RatingSummary } from "./property.js";
import { changedPropertyFields } from "./property-patch.js";
import type { RoomType } from "./room-type.js";
import { changedRoomTypeFields } from "./room-type-patch.js";

/**
 * What happened to accommodation data, as the outbox records it (events.proto has the
 * published form). Named as past facts; each write that changes state produces its events in
 * the same transaction as the change.
 */
export type AccommodationEvent =
  | { type: "PropertyCreated"; property: Property }
  | { type: "PropertyUpdated"; property: Property; changedFields: string[] }
  | { type: "PropertyPublished"; property: Property }
  | { type: "PropertyUnpublished"; property: Property }
  | { type: "PropertyDeleted"; propertyId: string; ownerId: string }
  | { type: "RoomTypeCreated"; roomType: RoomType }
  | { type: "RoomTypeUpdated"; roomType: RoomType; changedFields: string[] }
  | { type: "RoomTypeDeleted"; propertyId: string; roomTypeId: string }
  | { type: "CalendarUpdated"; propertyId: string; roomTypeId: string; update: CalendarUpdate; currency: string }
  | { type: "RatingSummaryUpdated"; propertyId: string; ratingSummary: RatingSummary }
  | { type: "InventoryHeld" | "HoldConfirmed" | "HoldReleased" | "HoldExpired"; hold: Hold };

/** The aggregate an event belongs to (triphub.common.v1.Event stream_type and stream_id). */
export interface EventStream {
  streamType: "property" | "hold";
  streamId: string;
}

/**
 * Property, room-type, calendar and rating events share the property's stream: room types and
 * their calendars have no life outside it, and one stream gives a consumer a single ordered
 * history (and one stream_version counter) per property. Holds are their own stream, keyed by
 * reservation as events.proto says.
 */
export function streamOf(e: AccommodationEvent): EventStream {
  switch (e.type) {
    case "PropertyCreated":
    case "PropertyUpdated":
    case "PropertyPublished":
    case "PropertyUnpublished":
      return { streamType: "property", streamId: e.property.id };
    case "PropertyDeleted":
    case "RoomTypeDeleted":
    case "CalendarUpdated":
    case "RatingSummaryUpdated":
      return { streamType: "property", streamId: e.propertyId };
    case "RoomTypeCreated":
    case "RoomTypeUpdated":
      return { streamType: "property", streamId: e.roomType.propertyId };
    case "InventoryHeld":
    case "HoldConfirmed":
    case "HoldReleased":
    case "HoldExpired":
      return { streamType: "hold", streamId: e.hold.reservationId };
    default: {
      const unknown: never = e;
      throw new Error(`no stream for event ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The event of a saved property change: publishing and unpublishing are their own facts, any
 * other change is PropertyUpdated naming the fields that differ.
 */
export function propertyChanged(before: Property, after: Property): AccommodationEvent {
  if (after.status !== before.status && after.status === "listed") return { type: "PropertyPublished", property: after };
  if (after.status !== before.status && after.status === "unlisted") return { type: "PropertyUnpublished", property: after };
  return { type: "PropertyUpdated", property: after, changedFields: changedPropertyFields(before, after) };
}

/** The event of a saved room-type change. */
export function roomTypeChanged(before: RoomType, after: RoomType): AccommodationEvent {
  return { type: "RoomTypeUpdated", roomType: after, changedFields: changedRoomTypeFields(before, after) };
}

/** The event of a hold's status change, or undefined when the status did not change. */
export function holdChanged(before: Hold | undefined, after: Hold): AccommodationEvent | undefined {
  if (before?.status === after.status) return undefined;
  switch (after.status) {
    case "held":
      return { type: "InventoryHeld", hold: after };
    case "confirmed":
      return { type: "HoldConfirmed", hold: after };
    case "released":
      return { type: "HoldReleased", hold: after };
    case "expired":
      return { type: "HoldExpired", hold: after };
    default: {
      const unknown: never = after.status;
      throw new Error(`no event for hold status ${String(unknown)}`);
    }
  }
}
