// How each event changes a reservation: the fold behind the read model and the saga's next
// step. Total over the events `decide` makes.
import { money } from "./money.js";
import { type FailureReason, IN_SAGA, type Reservation, type ReservationStatus } from "./reservation.js";
import type { ReservationEvent, ReservationRequested } from "./reservation-events.js";
import type { ReservationAggregate, ReservationState, SagaFacts } from "./reservation-state.js";
import { nightsOf } from "./stay-dates.js";

/** Hold refusals that mean no hold was made, so there is nothing to release. */
const DEFINITE_HOLD_REFUSALS: ReadonlySet<FailureReason> = new Set<FailureReason>([
  "rooms_unavailable",
  "stay_restricted",
  "occupancy_exceeded",
  "property_not_bookable",
]);

/** The state after `e`. An event other than ReservationRequested on no state changes nothing. */
export function evolve(state: ReservationState, e: ReservationEvent): ReservationState {
  if (e.type === "ReservationRequested") return requested(e);
  if (!state) return state;
  const r: Reservation = { ...state.reservation, version: state.reservation.version + 1, updatedAt: e.at };
  const saga = { ...state.saga };
  switch (e.type) {
    case "RoomsHeld":
      Object.assign(r, {
        hostId: e.hostId,
        propertyName: e.propertyName,
        roomTypeName: e.roomTypeName,
        price: e.price,
        cancellationPolicy: e.cancellationPolicy,
        timeZone: e.timeZone,
        checkInTime: e.checkInTime,
        checkOutTime: e.checkOutTime,
      });
      if (r.status === "requested") r.status = "rooms_held";
      Object.assign(saga, { holdId: e.holdId, roomsReleased: false, holdUnknown: false });
      break;
    case "PaymentAuthorized":
      r.paymentId = e.paymentId;
      if (r.status === "rooms_held") r.status = "payment_authorized";
      Object.assign(saga, { paymentId: e.paymentId, paymentSettled: false, paymentUnknown: false });
      break;
    case "ReservationConfirmed":
      r.status = "confirmed";
      r.confirmedAt = e.at;
      r.freeCancellationUntil = e.freeCancellationUntil;
      saga.capturedMinor = e.capturedAmount.amountMinor;
      saga.paymentSettled = true;
      break;
    case "ReservationFailed":
      r.status = "failed";
      r.failure = { reason: e.reason, message: e.message };
      stopSaga(saga, e.failedStatus, e.reason);
      break;
    case "PaymentVoided":
      // An empty id records that a lookup found no payment to void.
      if (e.paymentId === "" || e.paymentId === saga.paymentId) saga.paymentUnknown = false;
      if (e.paymentId === saga.paymentId) saga.paymentSettled = true;
      break;
    case "RoomsReleased":
      Object.assign(saga, { roomsReleased: true, holdUnknown: false });
      break;
    case "ReservationCancelled": {
      const owed = e.refundAmount.amountMinor > 0n ? e.refundAmount : undefined;
      r.cancellation = {
        cancelledBy: e.cancelledBy,
        actorId: e.actorId,
        reason: e.reason,
        note: e.note,
        refundAmount: e.refundAmount,
        refundStatus: owed ? "pending" : "not_required",
        cancelledAt: e.at,
      };
      if (IN_SAGA.has(r.status)) stopSaga(saga, r.status, undefined);
      // A confirmed stay's rooms are booked: the cancellation gives them back.
      else saga.roomsReleased = false;
      r.status = "cancelled";
      saga.refundOwed = owed;
      break;
    }
    case "RefundIssued": {
      saga.refundedMinor += e.amount.amountMinor;
      saga.refundOwed = undefined;
      if (e.paymentId === saga.paymentId) saga.paymentSettled = true;
      if (r.cancellation) {
        // Shown as everything refunded so far, a lost capture's unwind included.
        const refunded = money(saga.refundedMinor, e.amount.currency);
        r.cancellation = { ...r.cancellation, refundAmount: refunded, refundStatus: "succeeded" };
      }
      break;
    }
    case "RefundFailed":
      saga.refundOwed = undefined;
      if (r.cancellation) r.cancellation = { ...r.cancellation, refundStatus: "failed" };
      break;
    case "StayCompleted":
      r.status = "completed";
      break;
    default: {
      const _x: never = e;
      throw new Error(`unknown event ${(_x as ReservationEvent).type}`);
    }
  }
  return { reservation: r, saga };
}

/**
 * What a saga stopped at `status` (failed, or cancelled: no reason) leaves to undo. A call whose
 * answer was lost may have held rooms or authorized money nobody heard of: those are looked up,
 * except after a refusal that proves nothing was made.
 */
function stopSaga(saga: SagaFacts, status: ReservationStatus, reason: FailureReason | undefined): void {
  if (status === "requested" && !(reason && DEFINITE_HOLD_REFUSALS.has(reason))) saga.holdUnknown = true;
  if (status === "rooms_held" && saga.paymentId === "" && reason !== "price_changed") {
    saga.paymentUnknown = reason !== "payment_declined";
  }
  if (saga.holdId === "" && !saga.holdUnknown) saga.roomsReleased = true;
}

function requested(e: ReservationRequested): ReservationAggregate {
  return {
    reservation: {
      requestId: e.requestId,
      guestId: e.guestId,
      hostId: "",
      propertyId: e.propertyId,
      roomTypeId: e.roomTypeId,
      propertyName: "",
      roomTypeName: "",
      checkIn: e.checkIn,
      checkOut: e.checkOut,
      nights: nightsOf(e.checkIn, e.checkOut),
      guests: e.guests,
      units: e.units,
      contact: e.contact,
      specialRequests: e.specialRequests,
      status: "requested",
      failure: undefined,
      price: undefined,
      cancellationPolicy: undefined,
      freeCancellationUntil: undefined,
      timeZone: "",
      checkInTime: "",
      checkOutTime: "",
      paymentId: "",
      cancellation: undefined,
      version: 1,
      createdAt: e.at,
      updatedAt: e.at,
      confirmedAt: undefined,
    },
    saga: {
      paymentMethodToken: e.paymentMethodToken,
      expectedTotal: e.expectedTotal,
      holdId: "",
      roomsReleased: false,
      holdUnknown: false,
      paymentId: "",
      paymentSettled: true,
      paymentUnknown: false,
      capturedMinor: 0n,
      refundedMinor: 0n,
      refundOwed: undefined,
    },
  };
}
