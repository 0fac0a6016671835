// The reservation's events both ways: domain event <-> triphub.reservation.v1 event message
// (events.proto), recorded as the message's full name and binary. The messages do not carry
// when they happened: the log does (its occur time, the `now` the command was decided at).
import { create, createRegistry, type DescMessage, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { Money as ProtoMoney } from "@triphub/contracts/triphub/common/v1/money_pb";
import * as pb from "@triphub/contracts/triphub/reservation/v1/events_pb";
import type { EventCodec } from "@triphub/platform/events";
import type { Sealer } from "@triphub/platform/sealing";
import type { Money } from "../domain/money.js";
import type { ReservationEvent } from "../domain/reservation-events.js";
import { openRequested, sealRequested } from "../store/personal-data.js";
import { cancellationActor, cancellationPolicy, cancellationReason, failureReason, reservationStatus } from "./enums.js";
import { contactFromProto, guestsFromProto, toProtoContact, toProtoGuests } from "./guests.js";
import { moneyFromProto, stayPriceFromProto, toProtoMoney, toProtoStayPrice } from "./money.js";
import { timeFromProto, toProtoTime } from "./time.js";

/** Every payload type of events.proto: decoding, and the JSON form of StreamEvents' Any payloads. */
export const reservationEventTypes = createRegistry(pb.file_triphub_reservation_v1_events);

/** An event as the log stores it: the payload message's full name and its binary form. */
export interface EncodedEvent {
  type: string;
  payload: Uint8Array;
}

function encoded<D extends DescMessage>(schema: D, init: MessageInitShape<D>): EncodedEvent {
  return { type: schema.typeName, payload: toBinary(schema, create(schema, init)) };
}

/** `e` in the contract's form, as it is recorded and every consumer receives it. */
export function encodeReservationEvent(e: ReservationEvent): EncodedEvent {
  switch (e.type) {
    case "ReservationRequested":
      return encoded(pb.ReservationRequestedSchema, {
        requestId: e.requestId,
        guestId: e.guestId,
        propertyId: e.propertyId,
        roomTypeId: e.roomTypeId,
        checkIn: e.checkIn,
        checkOut: e.checkOut,
        guests: toProtoGuests(e.guests),
        units: e.units,
        contact: toProtoContact(e.contact),
        specialRequests: e.specialRequests,
        paymentMethodToken: e.paymentMethodToken,
        expectedTotal: e.expectedTotal && toProtoMoney(e.expectedTotal),
      });
    case "RoomsHeld":
      return encoded(pb.RoomsHeldSchema, {
        holdId: e.holdId,
        hostId: e.hostId,
        propertyName: e.propertyName,
        roomTypeName: e.roomTypeName,
        price: e.price && toProtoStayPrice(e.price),
        cancellationPolicy: cancellationPolicy.toProto(e.cancellationPolicy),
        timeZone: e.timeZone,
        checkInTime: e.checkInTime,
        checkOutTime: e.checkOutTime,
        holdExpireTime: toProtoTime(e.holdExpiresAt),
      });
    case "PaymentAuthorized":
      return encoded(pb.PaymentAuthorizedSchema, { paymentId: e.paymentId, amount: toProtoMoney(e.amount) });
    case "ReservationConfirmed":
      return encoded(pb.ReservationConfirmedSchema, {
        paymentId: e.paymentId,
        capturedAmount: toProtoMoney(e.capturedAmount),
        freeCancellationUntil: toProtoTime(e.freeCancellationUntil),
      });
    case "ReservationFailed":
      return encoded(pb.ReservationFailedSchema, {
        reason: failureReason.toProto(e.reason),
        message: e.message,
        failedStatus: reservationStatus.toProto(e.failedStatus),
      });
    case "PaymentVoided":
      return encoded(pb.PaymentVoidedSchema, { paymentId: e.paymentId });
    case "RoomsReleased":
      return encoded(pb.RoomsReleasedSchema, { holdId: e.holdId });
    case "ReservationCancelled":
      return encoded(pb.ReservationCancelledSchema, {
        cancelledBy: cancellationActor.toProto(e.cancelledBy),
        actorId: e.actorId,
        reason: cancellationReason.toProto(e.reason),
        note: e.note,
        refundAmount: toProtoMoney(e.refundAmount),
      });
    case "RefundIssued":
      return encoded(pb.RefundIssuedSchema, { paymentId: e.paymentId, refundId: e.refundId, amount: toProtoMoney(e.amount) });
    case "RefundFailed":
      return encoded(pb.RefundFailedSchema, { paymentId: e.paymentId, message: e.message });
    case "StayCompleted":
      return encoded(pb.StayCompletedSchema, {});
    default: {
      const _x: never = e;
      throw new Error(`no encoding for ${(_x as ReservationEvent).type}`);
    }
  }
}

// The amounts below are always written (decide sets them); one missing reads as protobuf's
// default, zero of no currency, as the proto-typed fold read it before.
const amount = (m: ProtoMoney | undefined): Money => (m ? moneyFromProto(m) : { amountMinor: 0n, currency: "" });

/** The domain event recorded as the message `type` with the binary `payload`, which happened `at`. */
export function decodeReservationEvent(type: string, payload: Uint8Array, at: Date): ReservationEvent {
  switch (type) {
    case pb.ReservationRequestedSchema.typeName: {
      const m = fromBinary(pb.ReservationRequestedSchema, payload);
      return {
        type: "ReservationRequested",
        at,
        requestId: m.requestId,
        guestId: m.guestId,
        propertyId: m.propertyId,
        roomTypeId: m.roomTypeId,
        checkIn: m.checkIn,
        checkOut: m.checkOut,
        guests: guestsFromProto(m.guests),
        units: m.units,
        contact: contactFromProto(m.contact),
        specialRequests: m.specialRequests,
        paymentMethodToken: m.paymentMethodToken,
        expectedTotal: m.expectedTotal && moneyFromProto(m.expectedTotal),
      };
    }
    case pb.RoomsHeldSchema.typeName: {
      const m = fromBinary(pb.RoomsHeldSchema, payload);
      return {
        type: "RoomsHeld",
        at,
        holdId: m.holdId,
        hostId: m.hostId,
        propertyName: m.propertyName,
        roomTypeName: m.roomTypeName,
        price: stayPriceFromProto(m.price),
        cancellationPolicy: cancellationPolicy.fromProto(m.cancellationPolicy),
        timeZone: m.timeZone,
        checkInTime: m.checkInTime,
        checkOutTime: m.checkOutTime,
        holdExpiresAt: timeFromProto(m.holdExpireTime),
      };
    }
    case pb.PaymentAuthorizedSchema.typeName: {
      const m = fromBinary(pb.PaymentAuthorizedSchema, payload);
      return { type: "PaymentAuthorized", at, paymentId: m.paymentId, amount: amount(m.amount) };
    }
    case pb.ReservationConfirmedSchema.typeName: {
      const m = fromBinary(pb.ReservationConfirmedSchema, payload);
      return {
        type: "ReservationConfirmed",
        at,
        paymentId: m.paymentId,
        capturedAmount: amount(m.capturedAmount),
        freeCancellationUntil: timeFromProto(m.freeCancellationUntil),
      };
    }
    case pb.ReservationFailedSchema.typeName: {
      const m = fromBinary(pb.ReservationFailedSchema, payload);
      return {
        type: "ReservationFailed",
        at,
        reason: failureReason.fromProto(m.reason),
        message: m.message,
        failedStatus: reservationStatus.fromProto(m.failedStatus),
      };
    }
    case pb.PaymentVoidedSchema.typeName:
      return { type: "PaymentVoided", at, paymentId: fromBinary(pb.PaymentVoidedSchema, payload).paymentId };
    case pb.RoomsReleasedSchema.typeName:
      return { type: "RoomsReleased", at, holdId: fromBinary(pb.RoomsReleasedSchema, payload).holdId };
    case pb.ReservationCancelledSchema.typeName: {
      const m = fromBinary(pb.ReservationCancelledSchema, payload);
      return {
        type: "ReservationCancelled",
        at,
        cancelledBy: cancellationActor.fromProto(m.cancelledBy),
        actorId: m.actorId,
        reason: cancellationReason.fromProto(m.reason),
        note: m.note,
        refundAmount: amount(m.refundAmount),
      };
    }
    case pb.RefundIssuedSchema.typeName: {
      const m = fromBinary(pb.RefundIssuedSchema, payload);
      return { type: "RefundIssued", at, paymentId: m.paymentId, refundId: m.refundId, amount: amount(m.amount) };
    }
    case pb.RefundFailedSchema.typeName: {
      const m = fromBinary(pb.RefundFailedSchema, payload);
      return { type: "RefundFailed", at, paymentId: m.paymentId, message: m.message };
    }
    case pb.StayCompletedSchema.typeName:
      return { type: "StayCompleted", at };
    default:
      throw new Error(`unknown reservation event type ${type}`);
  }
}

/**
 * The reservation aggregate's codec for the platform's event store: the guest's contact and
 * card token of ReservationRequested are sealed with `sealer` as they are recorded, and opened
 * as they are read (store/personal-data.ts).
 */
export function createReservationEventCodec(sealer: Sealer): EventCodec<ReservationEvent> {
  return {
    encode: (e) => encodeReservationEvent(e.type === "ReservationRequested" ? sealRequested(sealer, e) : e),
    decode(type, payload, at) {
      const e = decodeReservationEvent(type, payload, at);
      return e.type === "ReservationRequested" ? openRequested(sealer, e) : e;
    },
  };
}
