// The payment method token recorded in ReservationRequested (so a saga can authorize after a
// restart) never leaves the service, and the guest's contact and special requests never go to
// another service (none needs them; the guest and the host read them through GetReservation):
// every event this service hands out goes through here.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import type { Event } from "@triphub/contracts/triphub/common/v1/event_pb";
import { ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";

function redacted(e: Event, contact: boolean): Event {
  if (e.type !== ReservationRequestedSchema.typeName || !e.payload) return e;
  const requested = fromBinary(ReservationRequestedSchema, e.payload.value);
  const personal = contact && (requested.contact !== undefined || requested.specialRequests !== "");
  if (requested.paymentMethodToken === "" && !personal) return e;
  const value = toBinary(ReservationRequestedSchema, {
    ...requested,
    paymentMethodToken: "",
    ...(contact && { contact: undefined, specialRequests: "" }),
  });
  return { ...e, payload: create(AnySchema, { typeUrl: e.payload.typeUrl, value }) };
}

/** `e` with the card token emptied when it carries one (for the reservation's own parties). */
export const withoutCardToken = (e: Event): Event => redacted(e, false);

/** `e` as another service receives it (StreamEvents): without the card token, the guest's contact and special requests. */
export const forOtherServices = (e: Event): Event => redacted(e, true);
