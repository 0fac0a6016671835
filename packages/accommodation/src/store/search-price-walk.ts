import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery } from "../domain/search.js";
import type { AccommodationDb } from "./db.js";
import type { DestinationMatch } from "./search-filters-sql.js";
import { allOf, attributeFilters, bestOfferSql, } from "./search-filters-sql.js";
import { pageSelect } from "./search-page-sql.js";
import { nightKinds } from "../domain/night-price.js";
import { pastCursorSql, roomTypesAtPlace, stayBoundsSql } from "./search-price-bounds.js";

/*
 * Price sorts without pricing every property at the place.
 *
 * A walk meets properties in the order of a bound on their offer (search-price-bounds.ts): the
 * lowest a stay could cost, cheapest first, or the highest, dearest first. It prices each
 * property it meets (its cheapest fitting offer, every night free, as bestOfferSql), and
 * since no property further on can beat the bound where the walk stands, it stops once the
 * page's last row does. A property met whose own bounds already put it beyond the page's last
 * row, or wholly before a later page's cursor, is not priced at all.
 *
 * Cheapest first at a named region or city, or anywhere, the walk follows an index of room
 * types by place and floor: room types too small for the party are skipped on the index, and a
 * property is met at its first fitting room type. For weekday stays, and stays of weekend
 * nights only (which walk the weekend floors), that is about a page in; a stay mixing both
 * walks the lowest floor of any night, and peak-season premiums (which no floor sees) make it
 * walk further. Other price sorts rank their candidates by bound first (search-price-sql.ts)
 * and walk that list.
 */

/** Whether `q` walks the room-type index of floors rather than ranking its candidates first. */
export const walksByPrice = (q: SearchQuery, match: DestinationMatch) =>
  q.sort === "price_asc" && (q.location.kind === "anywhere" || (q.location.kind === "text" && match !== "fuzzy"));

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

/**
 * The next `limit` room types of the index walk after `from`, as steps: a property met for the
 * first time (not in `met`) with its best offer (or nulls when it has none, fails the other
 * filters, or cannot reach the page), and a row without an offer for any other room type.
 */
function roomTypeStepsSql(q: SearchQuery, match: DestinationMatch, now: Date, from: { floor: number; id: string } | undefined, limit: number, met: ReadonlySet<string>, pageEnd: number | undefined): SQL {
  const bound = sql.raw(`rt.${walkedBound(q)}`);
  const where = roomTypesAtPlace(q, match);
  // Nightly price filters: a floor above the maximum ends the walk.
  if (q.price?.maxMinor !== undefined) where.push(sql`${bound} <= ${q.price.maxMinor}::bigint`);
  if (from !== undefined) where.push(sql`(${bound}, rt.id) > (${from.floor}::bigint, ${from.id}::uuid)`);
  // One text parameter, however many properties the walk has met.
  const seen = sql`string_to_array(${[...met].join(",")}, ',')::uuid[]`;
  // Where the walk stands: nothing after this row can cost less.
  const stayBound = sql`f.floor::float8 * ${q.dates?.nights ?? 1}::float8`;
  // Not worth a calendar read: beyond the page's last row by the property's own bound (which
  // counts weekday and weekend nights at their floors; ties may still enter by id), or wholly
  // before the cursor. Without dates an offer costs no calendar read.
  const reachable: SQL[] = [];
  if (pageEnd !== undefined) reachable.push(sql`${stayBoundsSql(q, sql`f.property_id`).lowest} <= ${pageEnd}::float8`);
  const pastCursor = pastCursorSql(q, sql`f.property_id`);
  if (pastCursor !== undefined) reachable.push(pastCursor);
  const reaches = q.dates === undefined ? sql`true` : allOf(reachable);
  return sql`with w as (
      select rt.id, rt.property_id, ${bound} as floor
      from room_types rt
      where ${allOf(where)}
      order by ${bound}, rt.id
      limit ${limit}::int
    ),
    f as (
      select w.*, row_number() over (partition by w.property_id order by w.floor, w.id) = 1
        and w.property_id <> all(${seen}) as is_first
      from w
    )
    select f.id as "walkId", f.floor::float8 as "floor", f.property_id as "propertyId",
      ${stayBound} as "bound", coalesce(not g.reaches, false) as "skipped", 0::float8 as "distanceKm",
      o.room_type_id as "roomTypeId", o.unit_total::float8 as "unitTotal", o.remaining::int as "remaining"
    from f
    left join lateral (select ${reaches} as reaches) g on f.is_first
    left join lateral (
      select b.room_type_id, b.unit_total, b.remaining
      from properties p cross join lateral (${bestOfferSql(q, "p")}) b
      where f.is_first and g.reaches and p.id = f.property_id and p.status = 'listed' and ${allOf(attributeFilters(q, now))}
    ) o on true
    order by f.floor, f.id`;
}

/**
 * The room-type column the walk follows: the floor, or the weekend floor for a stay of weekend
 * nights only, which no weekday price can undercut.
 */
function walkedBound(q: SearchQuery): "price_floor_minor" | "weekend_floor_minor" {
  return q.dates !== undefined && nightKinds(q.dates.checkIn, q.dates.checkOut).weekdays === 0 ? "weekend_floor_minor" : "price_floor_minor";
}

/** One page cheapest first at a named region or city, or anywhere, by the room-type index walk. */
export function priceWalkPage<Row>(db: AccommodationDb, q: SearchQuery, match: DestinationMatch, now: Date, candidates: () => Promise<number>): Promise<Row[]> {
  const met = new Set<string>();
  let from: { floor: number; id: string } | undefined;
  const next: NextSteps = async (limit, pageEnd) => {
    const rows = (await db.execute(roomTypeStepsSql(q, match, now, from, limit, met, pageEnd))) as unknown as (WalkStep & { walkId: string; floor: number })[];
    for (const r of rows) met.add(r.propertyId);
    const last = rows.at(-1);
    if (last !== undefined) from = { floor: last.floor, id: last.walkId };
    return rows;
  };
  return walkPage<Row>(db, q, next, candidates);
}
