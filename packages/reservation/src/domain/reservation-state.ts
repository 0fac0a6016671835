// The state a reservation's events fold to: the read model and what only the saga needs.
import type { Money } from "./money.js";
import type { Reservation } from "./reservation.js";

/** What the saga must know and the read model does not show. */
export interface SagaFacts {
  /** To authorize after a restart; never shown. */
  paymentMethodToken: string;
  expectedTotal: Money | undefined;
  /** The hold, once accommodation reported it; "" before. */
  holdId: string;
  /** Rooms went back on sale (or there was nothing to release). */
  roomsReleased: boolean;
  /** A hold may exist that was never reported (a hold call's answer was lost). */
  holdUnknown: boolean;
  /** The payment, once payment reported it; "" before. */
  paymentId: string;
  /** The payment needs nothing more from a compensation (voided, or never authorized). */
  paymentSettled: boolean;
  /** A payment may exist that was never reported (an authorization's answer was lost). */
  paymentUnknown: boolean;
  capturedMinor: bigint;
  refundedMinor: bigint;
  /** A cancellation's refund that is owed and not yet issued or given up. */
  refundOwed: Money | undefined;
}

/** A reservation as its events leave it: the read model and the saga's own facts. */
export interface ReservationAggregate {
  reservation: Reservation;
  saga: SagaFacts;
}

/** Nothing before the first event. */
export type ReservationState = ReservationAggregate | undefined;
