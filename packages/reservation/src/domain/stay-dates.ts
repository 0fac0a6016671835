// The dates of a stay as the reservation checks them before asking accommodation, which knows
// the property's time zone and checks them again against its calendar.
import { invalid } from "@triphub/platform/domain-error";

/** The longest stay that can be booked, as accommodation holds it. */
export const MAX_STAY_NIGHTS = 30;

const DAY_MS = 86_400_000;
/** The furthest any time zone runs behind UTC (UTC-12): a date before this is past everywhere. */
const LATEST_OFFSET_MS = 12 * 3_600_000;

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const isCalendarDate = (date: string): boolean => {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === date;
};

/** Nights between check-in and check-out. */
export const nightsOf = (checkIn: string, checkOut: string): number => dayNumber(checkOut) - dayNumber(checkIn);

/**
 * Throws INVALID_ARGUMENT unless the dates are real, at most {@link MAX_STAY_NIGHTS} nights
 * apart, and check-in is not in the past anywhere on earth at `now`. (The property's own "today"
 * is accommodation's to apply.)
 */
export function checkStayDates(checkIn: string, checkOut: string, now: Date): void {
  if (!isCalendarDate(checkIn)) throw invalid("check_in", "must be a real date YYYY-MM-DD");
  if (!isCalendarDate(checkOut)) throw invalid("check_out", "must be a real date YYYY-MM-DD");
  const nights = nightsOf(checkIn, checkOut);
  if (nights < 1) throw invalid("check_out", "must be after check_in");
  if (nights > MAX_STAY_NIGHTS) throw invalid("check_out", `must be at most ${MAX_STAY_NIGHTS} nights after check_in`);
  const earliest = new Date(now.getTime() - LATEST_OFFSET_MS).toISOString().slice(0, 10);
  if (checkIn < earliest) throw invalid("check_in", `must not be in the past (it is ${earliest} or later everywhere)`);
}
