// How reservation events are recorded: the payload message's full name and its binary.
import { createRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import { file_triphub_reservation_v1_events } from "@triphub/contracts/triphub/reservation/v1/events_pb";
import type { EventCodec } from "@triphub/platform/events";
import type { ReservationEvent, ReservationEventPayload } from "../domain/reservation-events.js";

/** Every payload type of events.proto: decoding, and the JSON form of StreamEvents' Any payloads. */
export const reservationEventTypes = createRegistry(file_triphub_reservation_v1_events);

export const reservationCodec: EventCodec<ReservationEvent> = {
  encode({ payload }) {
    const schema = reservationEventTypes.getMessage(payload.$typeName);
    if (!schema) throw new Error(`no schema for event ${payload.$typeName}`);
    return { type: payload.$typeName, payload: toBinary(schema, payload) };
  },
  decode(type, payload, occurTime) {
    const schema = reservationEventTypes.getMessage(type);
    if (!schema) throw new Error(`unknown reservation event type ${type}`);
    return { at: occurTime, payload: fromBinary(schema, payload) as ReservationEventPayload };
  },
};
