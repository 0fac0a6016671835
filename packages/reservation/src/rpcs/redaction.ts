// The payment method token recorded in ReservationRequested (so a saga can authorize after a
// restart) never leaves the service: every event this service hands out goes through here.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import type { Event } from "@triphub/contracts/triphub/common/v1/event_pb";
import { ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";

/** `e` with the card token emptied when it carries one. */
export function withoutCardToken(e: Event): Event {
  if (e.type !== ReservationRequestedSchema.typeName || !e.payload) return e;
  const requested = fromBinary(ReservationRequestedSchema, e.payload.value);
  if (requested.paymentMethodToken === "") return e;
  const value = toBinary(ReservationRequestedSchema, { ...requested, paymentMethodToken: "" });
  return { ...e, payload: create(AnySchema, { typeUrl: e.payload.typeUrl, value }) };
}
