/**
 * Calendar dates ("YYYY-MM-DD", no time zone) and the few time-zone conversions the rules
 * need. Pure: the current instant is always passed in. Dates are handled as UTC midnights
 * internally, so adding days never meets a daylight-saving jump.
 */

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

// One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one,
// and a search page converts times for every result.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(instant: Date, timeZone: string): Record<string, number> {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const out: Record<string, number> = {};
  for (const p of parts) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** The calendar date it is at `now` in `timeZone`: "today" for a property. */
export function localDate(now: Date, timeZone: string): string {
  const w = wallClock(now, timeZone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

function offsetMs(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens on `date` in `timeZone`, e.g. check-in at
 * "15:00" on 2026-07-01 in Asia/Seoul is 06:00Z. A time skipped by a daylight-saving jump maps
 * to the instant just after the gap.
 */
export function localTimeToInstant(date: string, time: string, timeZone: string): Date {
  // A search page asks this for every result, mostly for the same few dates, times and zones,
  // and each answer costs four Intl formatToParts calls; the answer never changes.
  const key = `${date} ${time} ${timeZone}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    ms = instantOf(date, time, timeZone);
    // Bounded: starting over now and then costs a few conversions, not memory.
    if (instants.size >= 10_000) instants.clear();
    instants.set(key, ms);
  }
  return new Date(ms);
}

const instants = new Map<string, number>();

function instantOf(date: string, time: string, timeZone: string): number {
  const [h, m] = time.split(":").map(Number);
  const wall = utcMidnight(date) + (h * 60 + m) * 60_000;
  // Two passes settle on the offset in force at the result, not at the first guess.
  const guess = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(guess, timeZone);
}
