import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { Weekday } from "@triphub/contracts/triphub/accommodation/v1/calendar_pb";
import * as ev from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import type { AccommodationEvent } from "../domain/events.js";
import type { CalendarUpdate } from "../domain/calendar-update.js";
import { toProtoMoney } from "./common.js";
import { toProtoHold } from "./hold.js";
import { toProtoProperty } from "./property.js";
import { toProtoRoomType } from "./room-type.js";

/** An event as the outbox stores it: the payload message's full name and its binary form. */
export interface EncodedEvent {
  type: string;
  payload: Uint8Array;
}

function encode<D extends DescMessage>(schema: D, init: MessageInitShape<D>): EncodedEvent {
  return { type: schema.typeName, payload: toBinary(schema, create(schema, init)) };
}

// The values an update wrote, in the contract's form; only the masked ones are set.
function calendarSettings(u: CalendarUpdate, currency: string) {
  const s = u.set;
  return {
    availableUnits: s.availableUnits ?? 0,
    priceOverride: s.priceOverrideMinor == null ? undefined : toProtoMoney({ amountMinor: s.priceOverrideMinor, currency }),
    minStayNights: s.minStayNights ?? 0,
    closedToArrival: s.closedToArrival ?? false,
    closedToDeparture: s.closedToDeparture ?? false,
  };
}

const CALENDAR_FIELDS = [
  ["availableUnits", "available_units"],
  ["priceOverrideMinor", "price_override"],
  ["minStayNights", "min_stay_nights"],
  ["closedToArrival", "closed_to_arrival"],
  ["closedToDeparture", "closed_to_departure"],
] as const;

/**
 * The payload of an event in the contract's form (events.proto). Encoded once, when the event
 * is recorded: the stored bytes are what every consumer receives, forever, whatever later
 * versions of this mapping do.
 */
export function encodeEvent(e: AccommodationEvent): EncodedEvent {
  switch (e.type) {
    case "PropertyCreated":
      return encode(ev.PropertyCreatedSchema, { property: toProtoProperty(e.property) });
    case "PropertyUpdated":
      return encode(ev.PropertyUpdatedSchema, { property: toProtoProperty(e.property), changedFields: e.changedFields });
    case "PropertyPublished":
      return encode(ev.PropertyPublishedSchema, { property: toProtoProperty(e.property) });
    case "PropertyUnpublished":
      return encode(ev.PropertyUnpublishedSchema, { property: toProtoProperty(e.property) });
    case "PropertyDeleted":
      return encode(ev.PropertyDeletedSchema, { propertyId: e.propertyId, ownerId: e.ownerId });
    case "RoomTypeCreated":
      return encode(ev.RoomTypeCreatedSchema, { roomType: toProtoRoomType(e.roomType) });
    case "RoomTypeUpdated":
      return encode(ev.RoomTypeUpdatedSchema, { roomType: toProtoRoomType(e.roomType), changedFields: e.changedFields });
    case "RoomTypeDeleted":
      return encode(ev.RoomTypeDeletedSchema, { propertyId: e.propertyId, roomTypeId: e.roomTypeId });
    case "CalendarUpdated":
      return encode(ev.CalendarUpdatedSchema, {
        propertyId: e.propertyId,
        roomTypeId: e.roomTypeId,
        startDate: e.update.startDate,
        endDate: e.update.endDate,
        // Proto Weekday numbers are ISO weekdays, as in calendarUpdateFromProto.
        weekdays: e.update.weekdays.map((w) => w as Weekday),
        settings: calendarSettings(e.update, e.currency),
        changedFields: CALENDAR_FIELDS.filter(([k]) => e.update.set[k] !== undefined).map(([, path]) => path),
      });
    case "RatingSummaryUpdated":
      return encode(ev.RatingSummaryUpdatedSchema, { propertyId: e.propertyId, ratingSummary: e.ratingSummary });
    case "InventoryHeld":
      return encode(ev.InventoryHeldSchema, { hold: toProtoHold(e.hold) });
    case "HoldConfirmed":
      return encode(ev.HoldConfirmedSchema, { hold: toProtoHold(e.hold) });
    case "HoldReleased":
      return encode(ev.HoldReleasedSchema, { hold: toProtoHold(e.hold) });
    case "HoldExpired":
      return encode(ev.HoldExpiredSchema, { hold: toProtoHold(e.hold) });
    default: {
      const unknown: never = e;
      throw new Error(`no encoding for event ${JSON.stringify(unknown)}`);
    }
  }
}
