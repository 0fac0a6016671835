// A reservation as its events leave it: the content of the read model, in plain data. The
// contract's enums become string unions (without UNSPECIFIED), its timestamps Dates.
import type { CancellationPolicy } from "@triphub/platform/stay-rules";
import type { Money } from "./money.js";
import type { GuestContact, Guests, StayPrice } from "./stay.js";

/**
 * Where a booking is: requested -> rooms_held -> payment_authorized -> confirmed on success,
 * failed at any step, cancelled from any status before the stay, completed after it.
 */
export type ReservationStatus = "requested" | "rooms_held" | "payment_authorized" | "confirmed" | "failed" | "cancelled" | "completed";

/** Why a booking failed (triphub.reservation.v1.FailureReason). */
export type FailureReason =
  | "rooms_unavailable"
  | "stay_restricted"
  | "occupancy_exceeded"
  | "property_not_bookable"
  | "price_changed"
  | "payment_declined"
  | "payment_error"
  | "hold_expired"
  | "timed_out"
  | "internal";

/** Who cancels: a guest is held to the policy; a host or an admin cancellation refunds in full. */
export type CancellationActor = "guest" | "host" | "admin";

/** Why a reservation is cancelled, as the canceller chose. */
export type CancellationReason =
  | "change_of_plans"
  | "found_alternative"
  | "travel_restriction"
  | "emergency"
  | "property_unavailable"
  | "policy_violation"
  | "other";

/** Progress of the refund a cancellation owes. */
export type RefundStatus = "not_required" | "pending" | "succeeded" | "failed";

/** Why a booking failed, in words safe to show the guest. */
export interface Failure {
  reason: FailureReason;
  message: string;
}

/** How and why a reservation was cancelled, and what became of its refund. */
export interface Cancellation {
  cancelledBy: CancellationActor;
  actorId: string;
  reason: CancellationReason;
  note: string;
  /** What is (or was) refunded. */
  refundAmount: Money;
  refundStatus: RefundStatus;
  cancelledAt: Date;
}

/**
 * A guest's booking. The stream's id is not part of it (its events do not repeat it). Strings
 * snapshotted when the rooms were held (host, names, time zone, check-in and check-out times)
 * and the payment id are "" until then.
 */
export interface Reservation {
  requestId: string;
  guestId: string;
  hostId: string;
  propertyId: string;
  roomTypeId: string;
  propertyName: string;
  roomTypeName: string;
  /** First night, YYYY-MM-DD in the property's time zone. */
  checkIn: string;
  /** Day of departure, YYYY-MM-DD. */
  checkOut: string;
  nights: number;
  guests: Guests;
  units: number;
  contact: GuestContact;
  specialRequests: string;
  status: ReservationStatus;
  /** Set once failed. */
  failure: Failure | undefined;
  /** The price as held: what is charged. */
  price: StayPrice | undefined;
  /** The property's policy when the rooms were held; it governs refunds. */
  cancellationPolicy: CancellationPolicy | undefined;
  /** Until when a guest cancellation refunds in full; undefined when never (or not confirmed). */
  freeCancellationUntil: Date | undefined;
  /** IANA time zone of the property. */
  timeZone: string;
  /** Local "HH:MM". */
  checkInTime: string;
  checkOutTime: string;
  paymentId: string;
  /** Set once cancelled. */
  cancellation: Cancellation | undefined;
  /** Number of events in the stream. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  confirmedAt: Date | undefined;
}

/** The statuses of a booking still in its saga. */
export const IN_SAGA: ReadonlySet<ReservationStatus> = new Set<ReservationStatus>(["requested", "rooms_held", "payment_authorized"]);
