// The reservation's decider: `decide` turns a command into events (or refuses it), `evolve`
// (reservation-evolve.ts) folds an event into the state. Pure: no I/O, no clock (`now` is
// passed in). The saga's commands report what another service already did; they are facts, so
// they are recorded even when the reservation moved on meanwhile (a cancellation raced the
// saga): the state then knows what is left to undo.
import type { Decider } from "@triphub/platform/events";
import { DomainError } from "@triphub/platform/domain-error";
import { freeCancellationUntil, refundOnCancel, stayHasBegun } from "./cancellation-terms.js";
import { formatMoney, money, sameMoney } from "./money.js";
import { type FailureReason, IN_SAGA, type ReservationStatus } from "./reservation.js";
import type { ReservationCommand } from "./reservation-commands.js";
import type { ReservationEvent } from "./reservation-events.js";
import { evolve } from "./reservation-evolve.js";
import type { ReservationAggregate, ReservationState } from "./reservation-state.js";
import { stayHasEnded } from "./stay-times.js";

function decide(command: ReservationCommand, state: ReservationState, now: Date): ReservationEvent[] {
  if (command.type === "Request") {
    return state ? [] : [{ type: "ReservationRequested", at: now, ...command.requested }];
  }
  if (!state) throw new DomainError("not_found", "reservation not found");
  const { reservation: r, saga } = state;
  const inSaga = IN_SAGA.has(r.status);
  switch (command.type) {
    case "RecordHold": {
      if (saga.holdId !== "" && !saga.roomsReleased) return [];
      const held: ReservationEvent = { type: "RoomsHeld", at: now, ...command.hold };
      const total = command.hold.price?.total;
      const expected = saga.expectedTotal;
      if (r.status !== "requested" || !expected || !total || sameMoney(expected, total)) return [held];
      const message = `the price is now ${formatMoney(total)}, not the ${formatMoney(expected)} expected`;
      return [held, failed(now, "price_changed", message, "rooms_held")];
    }
    case "RecordAuthorization":
      if (saga.paymentId === command.paymentId) return [];
      return [{ type: "PaymentAuthorized", at: now, paymentId: command.paymentId, amount: command.amount }];
    case "Confirm": {
      if (r.status !== "payment_authorized") return [];
      return [
        {
          type: "ReservationConfirmed",
          at: now,
          paymentId: command.paymentId,
          capturedAmount: command.captured,
          freeCancellationUntil: freeCancellationUntil(r, now),
        },
      ];
    }
    case "Fail":
      return inSaga ? [failed(now, command.reason, command.message, r.status)] : [];
    case "RecordVoid": {
      const known = command.paymentId !== "" && command.paymentId === saga.paymentId;
      if (known ? saga.paymentSettled : !saga.paymentUnknown) return [];
      return [{ type: "PaymentVoided", at: now, paymentId: command.paymentId }];
    }
    case "RecordRelease":
      return saga.roomsReleased ? [] : [{ type: "RoomsReleased", at: now, holdId: command.holdId }];
    case "Cancel":
      return cancel(command, state, now);
    case "RecordRefund":
      return [{ type: "RefundIssued", at: now, paymentId: command.paymentId, refundId: command.refundId, amount: command.amount }];
    case "RecordRefundFailure":
      return [{ type: "RefundFailed", at: now, paymentId: command.paymentId, message: command.message }];
    case "Complete":
      return r.status === "confirmed" && stayHasEnded(r, now) ? [{ type: "StayCompleted", at: now }] : [];
    default: {
      const _x: never = command;
      throw new Error(`unknown command ${(_x as ReservationCommand).type}`);
    }
  }
}

function failed(at: Date, reason: FailureReason, message: string, failedStatus: ReservationStatus): ReservationEvent {
  return { type: "ReservationFailed", at, reason, message, failedStatus };
}

/** The events of a cancellation, or why it is refused. */
function cancel(c: Extract<ReservationCommand, { type: "Cancel" }>, state: ReservationAggregate, now: Date): ReservationEvent[] {
  const r = state.reservation;
  if (r.status === "cancelled") return [];
  if (r.status === "failed") {
    throw new DomainError("precondition", "a failed booking cannot be cancelled: nothing is booked or charged", { reason: "RESERVATION_FAILED" });
  }
  if (r.status === "completed" || (r.status === "confirmed" && stayHasBegun(r, now))) {
    throw new DomainError("precondition", "the stay has already begun; contact the host or support", { reason: "STAY_BEGUN" });
  }
  // Before confirmation nothing was captured, so nothing is refunded (the payment is voided).
  const refund =
    r.status === "confirmed"
      ? refundOnCancel(r, { actor: c.actor, at: now, capturedMinor: state.saga.capturedMinor }).amount
      : money(0n, r.price?.total.currency ?? "");
  return [{ type: "ReservationCancelled", at: now, cancelledBy: c.actor, actorId: c.actorId, reason: c.reason, note: c.note, refundAmount: refund }];
}

/** The reservation aggregate's rules. */
export const reservationDecider: Decider<ReservationCommand, ReservationState, ReservationEvent> = {
  initialState: undefined,
  decide,
  evolve,
};
