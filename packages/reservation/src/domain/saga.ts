// What the booking saga does next for a reservation, read from its state alone, so a process
// that restarts after a crash carries on exactly where the events say the saga is. Forward
// steps book; once the saga failed or was cancelled, compensations undo in reverse order:
// the payment first, then the rooms.
import type { Money } from "./money.js";
import type { ReservationState } from "./reservation-state.js";

/** One thing the saga does next: a forward step or a compensation. */
export type SagaStep =
  /** Hold the rooms (accommodation HoldInventory). */
  | { kind: "hold" }
  /** Authorize the price (payment AuthorizePayment). */
  | { kind: "authorize" }
  /** Confirm the hold, then capture the payment. */
  | { kind: "confirm"; paymentId: string }
  /**
   * Leave the payment with nothing taken: void it, or refund what a capture whose answer was
   * lost took. paymentId "" means it must be looked up by reservation.
   */
  | { kind: "unwindPayment"; paymentId: string }
  /** Refund a cancelled stay as its cancellation says. */
  | { kind: "refund"; paymentId: string; amount: Money }
  /** Put the rooms back on sale. */
  | { kind: "release"; because: "failed" | "cancelled" };

/** The next step of the saga, or undefined when it has nothing left to do. */
export function nextStep(state: ReservationState): SagaStep | undefined {
  if (!state) return undefined;
  const { reservation: r, saga } = state;
  switch (r.status) {
    case "requested":
      return { kind: "hold" };
    case "rooms_held":
      return { kind: "authorize" };
    case "payment_authorized":
      return { kind: "confirm", paymentId: saga.paymentId };
    case "failed":
    case "cancelled": {
      if (saga.paymentId !== "" && !saga.paymentSettled) return { kind: "unwindPayment", paymentId: saga.paymentId };
      if (saga.paymentUnknown) return { kind: "unwindPayment", paymentId: "" };
      if (saga.refundOwed) return { kind: "refund", paymentId: saga.paymentId, amount: saga.refundOwed };
      if (!saga.roomsReleased) return { kind: "release", because: r.status };
      return undefined;
    }
    default:
      return undefined;
  }
}
