// The events of a reservation's stream, named as in events.proto (where they are recorded as
// the contract's messages, see proto-mapping/events.ts). `at` is when the event happened: the
// `now` its command was decided at, kept by the log rather than in the message.
import type { CancellationPolicy } from "@triphub/platform/stay-rules";
import type { Money } from "./money.js";
import type { CancellationActor, CancellationReason, FailureReason, ReservationStatus } from "./reservation.js";
import type { GuestContact, Guests, StayPrice } from "./stay.js";

/** What a guest asked to book (CreateReservation, as accepted). */
export interface BookingRequest {
  requestId: string;
  guestId: string;
  propertyId: string;
  roomTypeId: string;
  checkIn: string;
  checkOut: string;
  guests: Guests;
  units: number;
  contact: GuestContact;
  specialRequests: string;
  /** To authorize the payment, also after a restart; never shown. */
  paymentMethodToken: string;
  /** The total the guest agreed to; a different held price fails the booking. */
  expectedTotal: Money | undefined;
}

/** What accommodation held, with the terms snapshotted at that moment. */
export interface HeldRooms {
  holdId: string;
  hostId: string;
  propertyName: string;
  roomTypeName: string;
  /** The price to charge; undefined if accommodation gave none (the saga then fails). */
  price: StayPrice | undefined;
  cancellationPolicy: CancellationPolicy | undefined;
  timeZone: string;
  checkInTime: string;
  checkOutTime: string;
  holdExpiresAt: Date | undefined;
}

/** A guest asked to book (CreateReservation accepted). */
export interface ReservationRequested extends BookingRequest {
  type: "ReservationRequested";
  at: Date;
}

/** Accommodation holds the rooms. */
export interface RoomsHeld extends HeldRooms {
  type: "RoomsHeld";
  at: Date;
}

/** Payment authorized the price. */
export interface PaymentAuthorized {
  type: "PaymentAuthorized";
  at: Date;
  paymentId: string;
  amount: Money;
}

/** The hold is confirmed and the payment captured: the stay is booked. */
export interface ReservationConfirmed {
  type: "ReservationConfirmed";
  at: Date;
  paymentId: string;
  capturedAmount: Money;
  freeCancellationUntil: Date | undefined;
}

/** The booking failed; compensations of the steps done follow. */
export interface ReservationFailed {
  type: "ReservationFailed";
  at: Date;
  reason: FailureReason;
  message: string;
  /** The status the reservation had reached when it failed: what is left to undo. */
  failedStatus: ReservationStatus;
}

/**
 * The payment was left with nothing taken (compensation). An empty `paymentId` records that a
 * lookup found no payment to void.
 */
export interface PaymentVoided {
  type: "PaymentVoided";
  at: Date;
  paymentId: string;
}

/** The held or booked rooms went back on sale. */
export interface RoomsReleased {
  type: "RoomsReleased";
  at: Date;
  holdId: string;
}

/** The reservation was cancelled; a refund and the release of the rooms follow. */
export interface ReservationCancelled {
  type: "ReservationCancelled";
  at: Date;
  cancelledBy: CancellationActor;
  actorId: string;
  reason: CancellationReason;
  note: string;
  /** What the guest gets back (zero when nothing was captured). */
  refundAmount: Money;
}

/** Payment refunded the guest. */
export interface RefundIssued {
  type: "RefundIssued";
  at: Date;
  paymentId: string;
  refundId: string;
  amount: Money;
}

/** The refund was refused; an operator must step in. */
export interface RefundFailed {
  type: "RefundFailed";
  at: Date;
  paymentId: string;
  message: string;
}

/** The check-out time passed while the reservation was confirmed. */
export interface StayCompleted {
  type: "StayCompleted";
  at: Date;
}

/** Any event of a reservation's stream. */
export type ReservationEvent =
  | ReservationRequested
  | RoomsHeld
  | PaymentAuthorized
  | ReservationConfirmed
  | ReservationFailed
  | PaymentVoided
  | RoomsReleased
  | ReservationCancelled
  | RefundIssued
  | RefundFailed
  | StayCompleted;

/** The stream type of reservations in the events table. */
export const RESERVATION_STREAM = "reservation";
