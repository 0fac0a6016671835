import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { addDays, isoWeekday } from "../domain/dates.js";
import type { SearchQuery } from "../domain/search.js";
import type { AccommodationDb } from "./db.js";
import type { DestinationMatch } from "./search-filters-sql.js";
import { allOf, attributeFilters, bestOfferSql, destinationKey } from "./search-filters-sql.js";
import { pageSelect } from "./search-page-sql.js";

/*
 * Price sorts at a named region or city, or anywhere, without pricing every property there.
 *
 * Every room type carries bounds on its nightly price (migration 0005): no stay in it costs a
 * unit less than nights x price_floor_minor or more than nights x price_ceiling_minor. Cheapest
 * first walks the place's room types by floor (an index in that order), in batches, and prices
 * each property the first time it is met (its cheapest fitting offer, every night free, as
 * bestOfferSql). A property not met yet has no fitting room type below the walk's position, so
 * its stay costs at least nights x that floor: once the page's last row is cheaper than that,
 * nothing further on can enter the page, and the walk stops. Dearest first is the mirror image
 * (ceilings, walked downwards). On weekdays the walk stops about a page in; weekend and peak
 * premiums (which floors, the lowest price on any night, cannot see) make it walk further.
 * So that walking further costs little, a property the walk meets is first bounded by its room
 * types' bounds for the stay's own weekdays (migration 0006), and its calendar is read only if
 * it could still make the page: not beyond the page's last row once the page is full, and (on a
 * later page) not wholly before the cursor.
 *
 * Circle and fuzzy destinations have no such index and price every candidate
 * (search-price-sql.ts).
 */

/** Whether `q` can walk room types by price bound rather than pricing every candidate. */
export const walksByPrice = (q: SearchQuery, match: DestinationMatch) => q.location.kind === "anywhere" || (q.location.kind === "text" && match !== "fuzzy");

// Room types read per statement: about two per result at first (a property has one or two that
// fit), doubling while the walk goes on.
const MAX_BATCH = 1024;

interface Position {
  bound: number;
  id: string;
}

interface WalkRow {
  walkId: string;
  propertyId: string;
  bound: number;
  /** Met here first, and passed over by its weekday bounds. */
  skipped: boolean;
  roomTypeId: string | null;
  unitTotal: number | null;
  remaining: number | null;
}

/** An offer the walk found: the page's sort keys and what `pageSelect` needs. */
interface Offer {
  propertyId: string;
  k1: number;
  roomTypeId: string;
  unitTotal: number;
  remaining: number;
}

/**
 * Bounds on what property `property` (an id expression) can offer this stay, a unit's total,
 * from its room types that fit the party: the least lower bound and the greatest upper bound,
 * each the sum, night by night, of the room type's bound for that night's weekday. Without
 * dates an offer is a base price, which bounds itself.
 */
export function stayBoundsSql(q: SearchQuery, property: SQL): { lowest: SQL; highest: SQL } {
  const nightsOn = new Map<number, number>();
  for (let i = 0; i < (q.dates?.nights ?? 0); i++) {
    const w = isoWeekday(addDays(q.dates!.checkIn, i));
    nightsOn.set(w, (nightsOn.get(w) ?? 0) + 1);
  }
  const bound = (agg: "min" | "max", column: string) => {
    const c = sql.raw(`r.${column}`);
    const sum = q.dates === undefined
      ? sql`r.base_price_minor`
      : sql.join([...nightsOn].map(([w, n]) => sql`${c}[${sql.raw(String(w))}] * ${n}::bigint`), sql` + `);
    return sql`(select ${sql.raw(agg)}(${sum})::float8 from room_types r where r.property_id = ${property} and ${fitsSql(q, "r")})`;
  };
  return { lowest: bound("min", "price_floor_by_weekday"), highest: bound("max", "price_ceiling_by_weekday") };
}

/**
 * Whether the property can still be on the page, by its stay bounds: not beyond the page's
 * last row so far (`pageEnd`, a unit's total), nor before the cursor (`cursorTotal`). Ties may
 * still enter by id, so only a bound strictly beyond skips.
 */
export function reachesSql(q: SearchQuery, property: SQL, pageEnd: number | undefined, cursorTotal: number | undefined): SQL {
  const b = stayBoundsSql(q, property);
  const desc = q.sort === "price_desc";
  // Cheapest first: its cheapest offer must be at most the page's end, and its dearest at least the cursor.
  const [toEnd, toCursor] = desc ? [b.highest, b.lowest] : [b.lowest, b.highest];
  const [endOp, cursorOp] = desc ? [sql.raw(">="), sql.raw("<=")] : [sql.raw("<="), sql.raw(">=")];
  const checks: SQL[] = [];
  if (pageEnd !== undefined) checks.push(sql`coalesce(${toEnd} ${endOp} ${pageEnd}::float8, true)`);
  if (cursorTotal !== undefined) checks.push(sql`coalesce(${toCursor} ${cursorOp} ${cursorTotal}::float8, true)`);
  return allOf(checks);
}

/** A unit's total at the cursor of a price sort, if the page has one. */
export const cursorTotal = (q: SearchQuery) => (q.after === undefined ? undefined : (q.sort === "price_desc" ? -1 : 1) * q.after.k1);

const fitsSql = (q: SearchQuery, rt: string) => {
  const r = sql.raw(rt);
  return sql`${q.adults}::int <= ${r}.max_adults * ${q.units}::int
    and ${q.adults + q.children}::int <= (${r}.max_adults + ${r}.max_children) * ${q.units}::int`;
};

/**
 * The next `limit` room types of the walk after `from`, and for each property met for the first
 * time (not in `met`), its best offer, or nulls when it has none or fails the other filters.
 * A property whose stay bounds cannot reach the page (`reachesSql`) is skipped rather than priced.
 */
function batchSql(q: SearchQuery, match: DestinationMatch, now: Date, from: Position | undefined, limit: number, met: readonly string[], pageEnd: number | undefined): SQL {
  const desc = q.sort === "price_desc";
  const bound = sql.raw(desc ? "rt.price_ceiling_minor" : "rt.price_floor_minor");
  const dir = sql.raw(desc ? "desc" : "asc");
  const where: SQL[] = [sql`rt.place_listed`];
  if (q.location.kind === "text") {
    const key = destinationKey(q.location.text);
    where.push(match === "region" ? sql`rt.place_region = ${key}` : sql`rt.place_city = ${key}`);
  }
  // A room type the party cannot fit never offers, so it must not hold the bound down.
  where.push(fitsSql(q, "rt"));
  // Nightly price filters: a floor above the maximum (or a ceiling below the minimum) ends the walk.
  if (!desc && q.price?.maxMinor !== undefined) where.push(sql`rt.price_floor_minor <= ${q.price.maxMinor}::bigint`);
  if (desc && q.price?.minMinor !== undefined) where.push(sql`rt.price_ceiling_minor >= ${q.price.minMinor}::bigint`);
  if (from !== undefined) {
    where.push(desc ? sql`(${bound}, rt.id) < (${from.bound}::bigint, ${from.id}::uuid)` : sql`(${bound}, rt.id) > (${from.bound}::bigint, ${from.id}::uuid)`);
  }
  // One text parameter, however many properties the walk has met.
  const seen = sql`string_to_array(${met.join(",")}, ',')::uuid[]`;
  // Without dates an offer costs no calendar read, so there is nothing to skip.
  const reaches = q.dates === undefined ? sql`true` : reachesSql(q, sql`f.property_id`, pageEnd, cursorTotal(q));
  return sql`with w as (
      select rt.id, rt.property_id, ${bound} as bound
      from room_types rt
      where ${allOf(where)}
      order by ${bound} ${dir}, rt.id ${dir}
      limit ${limit}::int
    ),
    f as (
      select w.*, row_number() over (partition by w.property_id order by w.bound ${dir}, w.id ${dir}) = 1
        and w.property_id <> all(${seen}) as is_first
      from w
    )
    select f.id as "walkId", f.property_id as "propertyId", f.bound::float8 as "bound",
      coalesce(not g.reaches, false) as "skipped",
      o.room_type_id as "roomTypeId", o.unit_total::float8 as "unitTotal", o.remaining::int as "remaining"
    from f
    left join lateral (select ${reaches} as reaches) g on f.is_first
    left join lateral (
      select b.room_type_id, b.unit_total, b.remaining
      from properties p cross join lateral (${bestOfferSql(q, "p")}) b
      where f.is_first and g.reaches and p.id = f.property_id and p.status = 'listed' and ${allOf(attributeFilters(q, now))}
    ) o on true
    order by f.bound ${dir}, f.id ${dir}`;
}

/** The page's rows (at most page_size + 1 offers, in order) with the columns of a result card. */
function pageSql(q: SearchQuery, offers: readonly Offer[], totalSize: number): SQL {
  const rows = offers.map(
    (o) => sql`(${o.propertyId}::uuid, ${o.k1}::float8, 0::float8, ${o.roomTypeId}::uuid, ${o.unitTotal}::float8, ${o.remaining}::int, 0::float8)`,
  );
  return sql`with m as (
      select * from (values ${sql.join(rows, sql`, `)}) as v(id, k1, k2, room_type_id, unit_total, remaining, distance_km)
    )
    ${pageSelect(q, sql`${totalSize}::int as "totalSize"`)}`;
}

const byKeys = (a: Offer, b: Offer) => a.k1 - b.k1 || (a.propertyId < b.propertyId ? -1 : a.propertyId > b.propertyId ? 1 : 0);

/**
 * One page of a price sort by walking room types in bound order (see above). `candidates`
 * tells how many properties the place has, for the estimated total; the total is exact when
 * the walk reached the end of the place.
 */
export async function priceWalkPage<Row>(
  db: AccommodationDb,
  q: SearchQuery,
  match: DestinationMatch,
  now: Date,
  candidates: () => Promise<number>,
): Promise<Row[]> {
  const want = q.pageSize + 1;
  const nights = q.dates?.nights ?? 1;
  const sign = q.sort === "price_desc" ? -1 : 1;
  const after = q.after;
  const met = new Set<string>();
  const offers: Offer[] = [];
  let found = 0;
  let skipped = 0;
  let from: Position | undefined;
  let limit = 2 * want;
  let exhausted = false;
  for (;;) {
    const pageEnd = offers.length === want ? sign * offers[want - 1]!.k1 : undefined;
    const rows = (await db.execute(batchSql(q, match, now, from, limit, [...met], pageEnd))) as unknown as WalkRow[];
    for (const r of rows) {
      met.add(r.propertyId);
      if (r.skipped) skipped++;
      if (r.roomTypeId === null || r.unitTotal === null || r.remaining === null) continue;
      found++;
      const offer: Offer = { propertyId: r.propertyId, k1: sign * r.unitTotal, roomTypeId: r.roomTypeId, unitTotal: r.unitTotal, remaining: r.remaining };
      // Only rows past the cursor belong on this page.
      if (after === undefined || byKeys(offer, { ...offer, k1: after.k1, propertyId: after.id }) > 0) offers.push(offer);
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < limit) {
      exhausted = true;
      break;
    }
    from = { bound: last.bound, id: last.walkId };
    offers.sort(byKeys);
    offers.splice(want);
    // Every property not met yet costs at least (cheapest first) or at most (dearest first) this.
    const unmetKey = sign * nights * last.bound;
    if (offers.length === want && offers[want - 1]!.k1 < unmetKey) break;
    limit = Math.min(limit * 2, MAX_BATCH);
  }
  offers.sort(byKeys);
  offers.splice(want);
  if (offers.length === 0) return [];
  // Exact when every property at the place was priced; else the share of those priced that had an offer.
  const priced = met.size - skipped;
  const place = exhausted ? met.size : await candidates();
  const total = exhausted && skipped === 0 ? found : Math.max(found, Math.round((place * found) / Math.max(1, priced)));
  return (await db.execute(pageSql(q, offers, total))) as unknown as Row[];
}
