// The requests that become commands: CreateReservation and CancelReservation.
import type {
  CancelReservationRequest,
  CreateReservationRequest,
} from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import type { CancellationActor } from "../domain/reservation.js";
import type { ReservationCommand } from "../domain/reservation-commands.js";
import { cancellationReason } from "./enums.js";
import { contactFromProto, guestsFromProto } from "./guests.js";
import { moneyFromProto } from "./money.js";

/** The Request command of a guest's CreateReservation, for the reservation `reservationId`. */
export function requestCommand(req: CreateReservationRequest, guestId: string, reservationId: string): ReservationCommand {
  return {
    type: "Request",
    reservationId,
    requested: {
      requestId: req.requestId,
      guestId,
      propertyId: req.propertyId,
      roomTypeId: req.roomTypeId,
      checkIn: req.checkIn,
      checkOut: req.checkOut,
      guests: guestsFromProto(req.guests),
      units: req.units,
      contact: contactFromProto(req.contact),
      specialRequests: req.specialRequests,
      paymentMethodToken: req.paymentMethodToken,
      expectedTotal: req.expectedTotal && moneyFromProto(req.expectedTotal),
    },
  };
}

/** The Cancel command of a CancelReservation by `actor` (the request's rules exclude UNSPECIFIED). */
export function cancelCommand(req: CancelReservationRequest, actor: CancellationActor, actorId: string): ReservationCommand {
  return { type: "Cancel", actor, actorId, reason: cancellationReason.fromProto(req.reason), note: req.note };
}
