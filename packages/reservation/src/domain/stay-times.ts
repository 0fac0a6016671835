// When a reservation's stay ends, at the property: its check-out time on the check-out date in
// its time zone.
import type { Reservation } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";

// PLACEHOLDER until platform's stay-rules (localTimeToInstant) lands.
export function checkOutInstant(r: Reservation): Date {
  return new Date(`${r.checkOut}T${r.checkOutTime || "11:00"}:00Z`);
}

/** True once the stay's check-out time has passed at `at`. */
export const stayHasEnded = (r: Reservation, at: Date): boolean => at.getTime() >= checkOutInstant(r).getTime();
