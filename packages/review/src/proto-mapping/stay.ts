// A reservation (the reservation service's contract) as the stay a review is about.
import { type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { localTimeToInstant } from "@triphub/platform/stay-rules";
import type { Stay } from "../domain/review-rules.js";

export function stayOf(r: Reservation): Stay {
  return {
    reservationId: r.reservationId,
    guestId: r.guestId,
    hostId: r.hostId,
    propertyId: r.propertyId,
    roomTypeName: r.roomTypeName,
    checkIn: r.checkIn,
    // The check-out date at the property's check-out time, in its time zone.
    checkOutAt: localTimeToInstant(r.checkOut, r.checkOutTime || "00:00", r.timeZone || "UTC"),
    completed: r.status === ReservationStatus.COMPLETED,
  };
}
