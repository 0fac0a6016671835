// When a reservation's stay ends at the property: its check-out time on the check-out date, in
// the property's time zone (both snapshotted when the rooms were held).
import { localTimeToInstant } from "@triphub/platform/stay-rules";
import type { Reservation } from "./reservation.js";

/** The part of a reservation its end depends on. */
export type StayEnd = Pick<Reservation, "checkOut" | "checkOutTime" | "timeZone">;

/** The instant the stay ends; an unknown check-out time counts as noon, an unknown zone as UTC. */
export function checkOutInstant(r: StayEnd): Date {
  return localTimeToInstant(r.checkOut, r.checkOutTime || "12:00", r.timeZone || "UTC");
}

/** True once the stay's check-out time has passed at `at`. */
export const stayHasEnded = (r: StayEnd, at: Date): boolean => at.getTime() >= checkOutInstant(r).getTime();
