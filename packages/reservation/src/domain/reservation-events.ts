// The events of a reservation's stream, as the contract defines them (events.proto): proto
// messages, so they evolve additively, told apart by their full name. The time each happened
// comes from the log (the `now` its command was decided at), not from the payload.
import type {
  PaymentAuthorized,
  PaymentVoided,
  RefundFailed,
  RefundIssued,
  ReservationCancelled,
  ReservationConfirmed,
  ReservationFailed,
  ReservationRequested,
  RoomsHeld,
  RoomsReleased,
  StayCompleted,
} from "@triphub/contracts/triphub/reservation/v1/events_pb";

/** Any payload of a reservation's stream. */
export type ReservationEventPayload =
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

/** One event of a reservation: what happened and when. */
export interface ReservationEvent {
  at: Date;
  payload: ReservationEventPayload;
}

/** The stream type of reservations in the events table. */
export const RESERVATION_STREAM = "reservation";
