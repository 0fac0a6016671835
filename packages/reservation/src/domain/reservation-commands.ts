// What can be asked of a reservation. The saga's commands report what another service already
// did: they are facts, so they are recorded even when the reservation moved on meanwhile.
import type { Money } from "./money.js";
import type { CancellationActor, CancellationReason, FailureReason } from "./reservation.js";
import type { BookingRequest, HeldRooms } from "./reservation-events.js";

/** A command on a reservation's stream; `reservationDecider.decide` answers it with events. */
export type ReservationCommand =
  | { type: "Request"; reservationId: string; requested: BookingRequest }
  | { type: "RecordHold"; hold: HeldRooms }
  | { type: "RecordAuthorization"; paymentId: string; amount: Money }
  | { type: "Confirm"; paymentId: string; captured: Money }
  | { type: "Fail"; reason: FailureReason; message: string }
  /** An empty paymentId: a lookup found no payment to void. */
  | { type: "RecordVoid"; paymentId: string }
  | { type: "RecordRelease"; holdId: string }
  | { type: "Cancel"; actor: CancellationActor; actorId: string; reason: CancellationReason; note: string }
  | { type: "RecordRefund"; paymentId: string; refundId: string; amount: Money }
  | { type: "RecordRefundFailure"; paymentId: string; message: string }
  | { type: "Complete" };

