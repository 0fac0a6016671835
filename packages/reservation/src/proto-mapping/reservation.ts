// A reservation in the contract's form: what the read model stores and every RPC returns.
import { create } from "@bufbuild/protobuf";
import {
  type Cancellation as ProtoCancellation,
  CancellationSchema,
  FailureReason as ProtoFailureReason,
  type Reservation as ProtoReservation,
  ReservationSchema,
} from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import type { Cancellation, Reservation } from "../domain/reservation.js";
import { cancellationActor, cancellationPolicy, cancellationReason, failureReason, refundStatus, reservationStatus } from "./enums.js";
import { toProtoContact, toProtoGuests } from "./guests.js";
import { toProtoMoney, toProtoStayPrice } from "./money.js";
import { toProtoTime } from "./time.js";

/** `r` as the proto Reservation of the stream `reservationId` (the domain type does not repeat the id). */
export function toProtoReservation(reservationId: string, r: Reservation): ProtoReservation {
  return create(ReservationSchema, {
    reservationId,
    requestId: r.requestId,
    guestId: r.guestId,
    hostId: r.hostId,
    propertyId: r.propertyId,
    roomTypeId: r.roomTypeId,
    propertyName: r.propertyName,
    roomTypeName: r.roomTypeName,
    checkIn: r.checkIn,
    checkOut: r.checkOut,
    nights: r.nights,
    guests: toProtoGuests(r.guests),
    units: r.units,
    contact: toProtoContact(r.contact),
    specialRequests: r.specialRequests,
    status: reservationStatus.toProto(r.status),
    failureReason: r.failure ? failureReason.toProto(r.failure.reason) : ProtoFailureReason.UNSPECIFIED,
    failureMessage: r.failure?.message ?? "",
    price: r.price && toProtoStayPrice(r.price),
    cancellationPolicy: cancellationPolicy.toProto(r.cancellationPolicy),
    freeCancellationUntil: toProtoTime(r.freeCancellationUntil),
    timeZone: r.timeZone,
    checkInTime: r.checkInTime,
    checkOutTime: r.checkOutTime,
    paymentId: r.paymentId,
    cancellation: r.cancellation && toProtoCancellation(r.cancellation),
    version: BigInt(r.version),
    createTime: toProtoTime(r.createdAt),
    updateTime: toProtoTime(r.updatedAt),
    confirmTime: toProtoTime(r.confirmedAt),
  });
}

function toProtoCancellation(c: Cancellation): ProtoCancellation {
  return create(CancellationSchema, {
    cancelledBy: cancellationActor.toProto(c.cancelledBy),
    actorId: c.actorId,
    reason: cancellationReason.toProto(c.reason),
    note: c.note,
    refundAmount: toProtoMoney(c.refundAmount),
    refundStatus: refundStatus.toProto(c.refundStatus),
    cancelTime: toProtoTime(c.cancelledAt),
  });
}
