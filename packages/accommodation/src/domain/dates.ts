/**
 * Calendar dates ("YYYY-MM-DD", no time zone) and the property's "today". Pure: the current
 * instant is always passed in. Dates are handled as UTC midnights internally, so adding days
 * never meets a daylight-saving jump. Local time to instant (check-in) is the platform's
 * `localTimeToInstant` (@triphub/platform/stay-rules), shared with the reservation service.
 */
import { wallClock } from "@triphub/platform/stay-rules";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function utcMidnight(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over to March; a real date reads back unchanged.
  return new Date(ms).toISOString().slice(0, 10) === date ? ms : Number.NaN;
}

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  return !Number.isNaN(utcMidnight(value));
}

/** `date` plus `days` (negative goes back). `date` must be a calendar date. */
export function addDays(date: string, days: number): string {
  const ms = utcMidnight(date);
  if (Number.isNaN(ms)) throw new Error(`not a calendar date: ${date}`);
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

/** Every date from `start` (inclusive) to `end` (exclusive), in order; empty unless end > start. */
export function datesBetween(start: string, end: string): string[] {
  const n = daysBetween(start, end);
  return Array.from({ length: Math.max(0, n) }, (_, i) => addDays(start, i));
}

/** ISO weekday of a date: 1 = Monday ... 7 = Sunday (proto `Weekday` numbering). */
export function isoWeekday(date: string): number {
  const d = new Date(utcMidnight(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** True for a 24-hour local time "HH:MM". */
export function isClockTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** True when the runtime's time-zone database knows `timeZone` (an IANA name). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date it is at `now` in `timeZone`: "today" for a property. */
export function localDate(now: Date, timeZone: string): string {
  const w = wallClock(now, timeZone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}
