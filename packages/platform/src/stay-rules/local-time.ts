/**
 * Local wall-clock time in a property's IANA time zone and the instants it names. Pure: the
 * instant to read is always passed in.
 */

/** The calendar date and time of day a clock in some time zone shows at one instant. */
export interface WallClock {
  year: number;
  /** 1 = January. */
  month: number;
  day: number;
  /** 0-23. */
  hour: number;
  minute: number;
  second: number;
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

/** What a wall clock in `timeZone` (an IANA name) shows at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type in out) out[p.type as keyof WallClock] = Number(p.value);
  }
  return out;
}

function offsetMs(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens on `date` in `timeZone`, e.g. check-in at
 * "15:00" on 2026-07-01 in Asia/Seoul is 06:00Z. A time skipped by a daylight-saving jump maps
 * to the instant just after the gap. `date` is "YYYY-MM-DD" and `time` "HH:MM"; a date that is
 * not on the calendar throws a RangeError (validate dates first).
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

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcMidnight(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over to March; a real date reads back unchanged.
  return new Date(ms).toISOString().slice(0, 10) === date ? ms : Number.NaN;
}

function instantOf(date: string, time: string, timeZone: string): number {
  const [h, m] = time.split(":").map(Number);
  const wall = utcMidnight(date) + (h * 60 + m) * 60_000;
  // Two passes settle on the offset in force at the result, not at the first guess.
  const guess = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(guess, timeZone);
}
