// The payment method token recorded in ReservationRequested (so a saga can authorize after a
// restart) never leaves the service, and the guest's contact never goes to another service
// (none needs it; the guest and the host read it through GetReservation): every event this
// service hands out goes through here.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import type { Event } from "@triphub/contracts/triphub/common/v1/event_pb";
import { ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";

function redacted(e: Event, contact: boolean): Event {
  if (e.type !== ReservationRequestedSchema.typeName || !e.payload) return e;
  const requested = fromBinary(ReservationRequestedSchema, e.payload.value);
  if (requested.paymentMethodToken === "" && !(contact && requested.contact)) return e;
  const value = toBinary(ReservationRequestedSchema, { ...requested, paymentMethodToken: "", contact: contact ? undefined : requested.contact });
  return { ...e, payload: create(AnySchema, { typeUrl: e.payload.typeUrl, value }) };
}

/** `e` with the card token emptied when it carries one (for the reservation's own parties). */
export const withoutCardToken = (e: Event): Event => redacted(e, false);

/** `e` as another service receives it (StreamEvents): without the card token and the guest's contact. */
export const forOtherServices = (e: Event): Event => redacted(e, true);
