import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { nightKinds } from "../../domain/night-price.js";
import type { SearchQuery } from "../../domain/search.js";
import type { AccommodationDb } from "../db.js";
import type { DestinationMatch } from "./filters-sql.js";
import { allOf, attributeFilters, bestOfferSql } from "./filters-sql.js";
import { type NextSteps, type WalkStep, walkPage } from "./price-walk.js";
import { pastCursorSql, roomTypesAtPlace, stayBoundsSql } from "./stay-bounds-sql.js";

/*
 * Cheapest first at a named region or city, or anywhere (overview: index.ts): the price walk
 * (price-walk.ts) follows an index of room types by place and floor (migrations 0005, 0007):
 * room types too small for the party are skipped on the index, and a property is met at its
 * first fitting room type. For weekday stays, and stays of weekend nights only (which walk the
 * weekend floors), that is about a page in; a stay mixing both walks the lowest floor of any
 * night, and peak-season premiums (which no floor sees) make it walk further. Every other price
 * sort ranks its candidates first (ranked-walk.ts).
 */

/** Whether `q` walks the room-type index of floors rather than ranking its candidates first. */
export const walksFloorIndex = (q: SearchQuery, match: DestinationMatch) =>
  q.sort === "price_asc" && (q.location.kind === "anywhere" || (q.location.kind === "text" && match !== "fuzzy"));

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
export function floorWalkPage<Row>(db: AccommodationDb, q: SearchQuery, match: DestinationMatch, now: Date, candidates: () => Promise<number>): Promise<Row[]> {
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
