// When a reservation's stay ends at the property: its check-out time on the check-out date, in
// the property's time zone (both snapshotted when the rooms were held).
import type { Reservation } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { localTimeToInstant } from "@triphub/platform/stay-rules";

/** The instant the stay ends; an unknown check-out time counts as noon, an unknown zone as UTC. */
export function checkOutInstant(r: Pick<Reservation, "checkOut" | "checkOutTime" | "timeZone">): Date {
  return localTimeToInstant(r.checkOut, r.checkOutTime || "12:00", r.timeZone || "UTC");
}

/** True once the stay's check-out time has passed at `at`. */
export const stayHasEnded = (r: Pick<Reservation, "checkOut" | "checkOutTime" | "timeZone">, at: Date): boolean =>
  at.getTime() >= checkOutInstant(r).getTime();
