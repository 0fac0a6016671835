// Which demo stays there are: the reviewers' history over the past ~18 months and the demo
// guest's recent stays. Pure and deterministic: the seed, the catalogue, the guests and `now`
// decide everything, and every id derives from the seed, so a re-run names the same stays.
import { localTimeToInstant, wallClock } from "@triphub/platform/stay-rules";
import type { CatalogueProperty, CatalogueRoomType } from "./catalogue.js";
import type { SeedGuest } from "./guests.js";
import { uuidFromName } from "@triphub/platform";
import { int, type Rand, rngFor } from "./random.js";
import { nightsBetween, type StaySpec } from "./stay-history.js";

/** What the plan depends on besides the catalogue and the guests. */
export interface PlanOptions {
  seed: number;
  now: Date;
}

const DAY_MS = 86_400_000;
/** Check-outs of the reviewers' stays go back this far (about 18 months). */
export const HISTORY_DAYS = 540;
/** The most stays a property gets. */
export const MAX_STAYS_PER_PROPERTY = 12;
/** The demo guest's first stays checked out this many days ago: inside review's 30-day window. */
export const DEMO_GUEST_CHECK_OUTS_AGO = [3, 6, 9] as const;

/** `date` plus `days`, YYYY-MM-DD. */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The date at the property at `now`. */
export function localToday(now: Date, timeZone: string): string {
  const w = wallClock(now, timeZone);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** How many stays a property gets: none for some, a few for most, a dozen for the popular ones. */
function staysFor(r: Rand): number {
  if (r() < 0.15) return 0;
  return 1 + Math.floor((MAX_STAYS_PER_PROPERTY - 1) * r() ** 2.2);
}

/** Booked units per room type and night, so no night is sold beyond its units. */
type Occupancy = Map<string, Map<string, number>>;

function fits(o: Occupancy, rt: CatalogueRoomType, nights: readonly string[]): boolean {
  const booked = o.get(rt.id);
  return !booked || nights.every((n) => (booked.get(n) ?? 0) < rt.unitCount);
}

function occupy(o: Occupancy, rt: CatalogueRoomType, nights: readonly string[]): void {
  const booked = o.get(rt.id) ?? new Map<string, number>();
  o.set(rt.id, booked);
  for (const n of nights) booked.set(n, (booked.get(n) ?? 0) + 1);
}

/** Stays per guest, so nobody is in two places on one night. */
type Trips = Map<string, { checkIn: string; checkOut: string }[]>;
const free = (t: Trips, guestId: string, checkIn: string, checkOut: string) =>
  !(t.get(guestId) ?? []).some((s) => s.checkIn < checkOut && checkIn < s.checkOut);

/** A stay's spec with the ids derived from `key`. */
function spec(key: string, r: Rand, guest: SeedGuest, property: CatalogueProperty, roomType: CatalogueRoomType, checkIn: string, checkOut: string, leadDays: number): StaySpec {
  const checkInAt = localTimeToInstant(checkIn, property.checkInTime || "15:00", property.timeZone);
  return {
    reservationId: uuidFromName(key),
    requestId: uuidFromName(`${key}/request`),
    holdId: uuidFromName(`${key}/hold`),
    paymentId: uuidFromName(`${key}/payment`),
    guest,
    property,
    roomType,
    checkIn,
    checkOut,
    adults: int(r, 1, Math.min(2, roomType.maxAdults)),
    children: roomType.maxChildren > 0 && r() < 0.15 ? 1 : 0,
    bookedAt: new Date(checkInAt.getTime() - leadDays * DAY_MS - Math.floor(r() * 12 * 3_600_000)),
  };
}

/**
 * The reviewers' stays: 0-12 per property (skewed: most have a few, some none), one unit of a
 * room type for 1-4 nights, checked out 1 to {@link HISTORY_DAYS} days before `now`, booked
 * 1-90 days ahead. No night is sold beyond its room type's units and no reviewer stays in two
 * places at once (a stay that cannot be placed is left out).
 */
export function planReviewerStays(catalogue: readonly CatalogueProperty[], reviewers: readonly SeedGuest[], o: PlanOptions): StaySpec[] {
  if (reviewers.length === 0) return [];
  const out: StaySpec[] = [];
  const occupancy: Occupancy = new Map();
  const trips: Trips = new Map();
  const todays = new Map<string, string>();
  for (const property of catalogue) {
    const r = rngFor(`triphub-demo/${o.seed}/property/${property.id}`);
    const today = todays.get(property.timeZone) ?? localToday(o.now, property.timeZone);
    todays.set(property.timeZone, today);
    const count = staysFor(r);
    for (let k = 0; k < count; k++) {
      const roomType = property.roomTypes[Math.floor(r() * property.roomTypes.length)];
      const nights = 1 + Math.floor(r() ** 1.8 * 4);
      const checkOut = addDays(today, -int(r, 1, HISTORY_DAYS));
      const checkIn = addDays(checkOut, -nights);
      const dates = nightsBetween(checkIn, checkOut);
      if (!fits(occupancy, roomType, dates)) continue;
      let guest: SeedGuest | undefined;
      for (let attempt = 0; attempt < 6 && !guest; attempt++) {
        const candidate = reviewers[Math.floor(r() * reviewers.length)];
        if (free(trips, candidate.id, checkIn, checkOut)) guest = candidate;
      }
      if (!guest) continue;
      occupy(occupancy, roomType, dates);
      trips.set(guest.id, [...(trips.get(guest.id) ?? []), { checkIn, checkOut }]);
      const leadDays = 1 + Math.floor(r() ** 2 * 90);
      out.push(spec(`triphub-demo/${o.seed}/stay/${property.id}/${k}`, r, guest, property, roomType, checkIn, checkOut, leadDays));
    }
  }
  return out;
}

/** The demo guest's stay at a property drawn by `r`, checked out `ago` days before `now`. */
function demoGuestStay(key: string, r: Rand, guest: SeedGuest, property: CatalogueProperty, ago: number, now: Date): StaySpec {
  const roomType = property.roomTypes[Math.floor(r() * property.roomTypes.length)];
  const checkOut = addDays(localToday(now, property.timeZone), -ago);
  const checkIn = addDays(checkOut, -int(r, 1, 2));
  return spec(key, r, guest, property, roomType, checkIn, checkOut, int(r, 7, 40));
}

/**
 * The demo guest's first three stays, at three different properties, checked out
 * {@link DEMO_GUEST_CHECK_OUTS_AGO} days before `now` (1-2 nights each, so they never overlap):
 * all still open for review.
 */
export function planDemoGuestStays(catalogue: readonly CatalogueProperty[], guest: SeedGuest, o: PlanOptions): StaySpec[] {
  const r = rngFor(`triphub-demo/${o.seed}/demo-guest/${guest.id}`);
  const picked = new Set<CatalogueProperty>();
  while (picked.size < Math.min(DEMO_GUEST_CHECK_OUTS_AGO.length, catalogue.length)) picked.add(catalogue[Math.floor(r() * catalogue.length)]);
  return [...picked].map((property, i) =>
    demoGuestStay(`triphub-demo/${o.seed}/demo-guest/${guest.id}/${i}`, r, guest, property, DEMO_GUEST_CHECK_OUTS_AGO[i], o.now),
  );
}

/**
 * Another stay for the demo guest, checked out two days before `now`, for a data folder whose
 * demo stays have aged out of the review window. Its id is the day's, so a second start on the
 * same day plans the same stay.
 */
export function planFreshDemoGuestStay(catalogue: readonly CatalogueProperty[], guest: SeedGuest, o: PlanOptions): StaySpec | undefined {
  if (catalogue.length === 0) return undefined;
  const key = `triphub-demo/${o.seed}/demo-guest/${guest.id}/fresh/${o.now.toISOString().slice(0, 10)}`;
  const r = rngFor(key);
  return demoGuestStay(key, r, guest, catalogue[Math.floor(r() * catalogue.length)], 2, o.now);
}
