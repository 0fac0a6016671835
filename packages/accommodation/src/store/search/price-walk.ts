import { sql } from "drizzle-orm";
import type { SearchQuery } from "../../domain/search.js";
import type { AccommodationDb } from "../db.js";
import { pageSelect } from "./page-sql.js";

/*
 * The walk both price sorts share (overview: index.ts). It meets properties in the order of a
 * bound on their offer (stay-bounds-sql.ts): the lowest a stay could cost, cheapest first, or
 * the highest, dearest first. It prices each property it meets (its cheapest fitting offer,
 * every night free, as bestOfferSql), and since no property further on can beat the bound
 * where the walk stands, it stops once the page's last row does. A property met whose own
 * bounds already put it beyond the page's last row, or wholly before a later page's cursor, is
 * not priced at all. Where the steps come from is the caller's: the floor walk (floor-walk.ts)
 * or a ranking (ranked-walk.ts).
 */

/** One property as the walk met it, with its offer when it was priced and had one. */
export interface WalkStep {
  propertyId: string;
  /** Its bound, a unit's total: no property after it in the walk can beat this. */
  bound: number;
  /** Not priced: its bounds keep it off the page. */
  skipped: boolean;
  distanceKm: number;
  roomTypeId: string | null;
  unitTotal: number | null;
  remaining: number | null;
}

/**
 * The walk's next steps in bound order, at most `limit` (fewer: the walk is over), pricing only
 * properties that can still reach `pageEnd` (a unit's total of the page's last row so far).
 */
export type NextSteps = (limit: number, pageEnd: number | undefined) => Promise<WalkStep[]>;

interface Offer {
  propertyId: string;
  k1: number;
  roomTypeId: string;
  unitTotal: number;
  remaining: number;
  distanceKm: number;
}

const byKeys = (a: Offer, b: Offer) => a.k1 - b.k1 || (a.propertyId < b.propertyId ? -1 : a.propertyId > b.propertyId ? 1 : 0);

// Steps per batch: about two per result at first (a property has one or two room types that
// fit), doubling while the walk goes on.
const MAX_BATCH = 1024;

/**
 * Walks `next` until nothing further can enter the page; the page's rows (with the columns of a
 * result card) and a total: exact when every property was priced, else `place()` (how many
 * properties the place has) times the share of those priced that had an offer.
 */
export async function walkPage<Row>(db: AccommodationDb, q: SearchQuery, next: NextSteps, place: () => Promise<number>): Promise<Row[]> {
  const want = q.pageSize + 1;
  const sign = q.sort === "price_desc" ? -1 : 1;
  const after = q.after;
  const offers: Offer[] = [];
  const met = new Set<string>();
  let found = 0;
  let skipped = 0;
  let limit = 2 * want;
  let exhausted = false;
  for (;;) {
    const pageEnd = offers.length === want ? sign * offers[want - 1]!.k1 : undefined;
    const steps = await next(limit, pageEnd);
    for (const s of steps) {
      met.add(s.propertyId);
      if (s.skipped) skipped++;
      if (s.roomTypeId === null || s.unitTotal === null || s.remaining === null) continue;
      found++;
      const offer: Offer = { propertyId: s.propertyId, k1: sign * s.unitTotal, roomTypeId: s.roomTypeId, unitTotal: s.unitTotal, remaining: s.remaining, distanceKm: s.distanceKm };
      // Only rows past the cursor belong on this page.
      if (after === undefined || byKeys(offer, { ...offer, k1: after.k1, propertyId: after.id }) > 0) offers.push(offer);
    }
    offers.sort(byKeys);
    offers.splice(want);
    const last = steps.at(-1);
    if (last === undefined || steps.length < limit) {
      exhausted = true;
      break;
    }
    // A property not met yet costs at least (dearest first: at most) the bound where the walk
    // stands; strictly beyond it, no tie by id can enter either.
    if (offers.length === want && offers[want - 1]!.k1 < sign * last.bound) break;
    limit = Math.min(limit * 2, MAX_BATCH);
  }
  if (offers.length === 0) return [];
  const priced = met.size - skipped;
  const total = exhausted && skipped === 0 ? found : Math.max(found, Math.round(((exhausted ? met.size : await place()) * found) / Math.max(1, priced)));
  // A column per text parameter, however many rows: one statement text, prepared once.
  const column = (pick: (o: Offer) => string | number, type: string) => sql`string_to_array(${offers.map(pick).join(",")}, ',')::${sql.raw(type)}[]`;
  return (await db.execute(sql`with m as (
      select v.*, 0::float8 as k2 from unnest(${column((o) => o.propertyId, "uuid")}, ${column((o) => o.k1, "float8")},
        ${column((o) => o.roomTypeId, "uuid")}, ${column((o) => o.unitTotal, "float8")}, ${column((o) => o.remaining, "int")},
        ${column((o) => o.distanceKm, "float8")}) as v(id, k1, room_type_id, unit_total, remaining, distance_km)
    )
    ${pageSelect(q, sql`${total}::int as "totalSize"`)}`)) as unknown as Row[];
}
