import { datesBetween, daysBetween, isCalendarDate } from "./dates.js";
import { violations } from "./validation.js";

/** The longest stay the service books or prices. */
export const MAX_STAY_NIGHTS = 30;

/** A checked stay: the nights run from `checkIn` (inclusive) to `checkOut` (exclusive). */
export interface Stay {
  /** First night, YYYY-MM-DD. */
  checkIn: string;
  /** Morning of departure, YYYY-MM-DD; the last night is the day before. */
  checkOut: string;
  /** Every night of the stay, in order. */
  nights: string[];
}

/**
 * Checks dates of stay: both real YYYY-MM-DD dates, check-out after check-in, at most
 * {@link MAX_STAY_NIGHTS} nights, and check-in not before `today` (the date it is now in the
 * property's time zone: see `localDate`). Throws "invalid" naming the fields.
 */
export function parseStay(checkIn: string, checkOut: string, today: string): Stay {
  const v = violations();
  v.check(isCalendarDate(checkIn), "check_in", "must be a date YYYY-MM-DD");
  v.check(isCalendarDate(checkOut), "check_out", "must be a date YYYY-MM-DD");
  v.throwIfAny();
  const nights = daysBetween(checkIn, checkOut);
  v.check(nights >= 1, "check_out", "must be after check_in");
  v.check(nights <= MAX_STAY_NIGHTS, "check_out", `must be at most ${MAX_STAY_NIGHTS} nights after check_in`);
  v.check(checkIn >= today, "check_in", `must not be in the past (today is ${today} at the property)`);
  v.throwIfAny();
  return { checkIn, checkOut, nights: datesBetween(checkIn, checkOut) };
}
