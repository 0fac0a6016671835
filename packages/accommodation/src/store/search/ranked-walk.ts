import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery } from "../../domain/search.js";
import type { AccommodationDb } from "../db.js";
import type { DestinationMatch } from "./filters-sql.js";
import { allOf, attributeFilters, bestOfferSql, distanceExpr, placeFilters } from "./filters-sql.js";
import { pastCursorSql, roomTypesAtPlace, sortBoundSql, stayCeilingSql, stayFloorSql } from "./stay-bounds-sql.js";
import { type NextSteps, type WalkStep, walkPage } from "./price-walk.js";

/*
 * The ranked walk (overview: index.ts): price sorts that rank their candidates by bound first
 * and then walk that list (price-walk.ts): circles and fuzzy destinations, which have no index
 * of room types by place (floor-walk.ts walks the named places and anywhere cheapest first),
 * and dearest first everywhere.
 *
 * Dearest first ranks by what the stay can cost (stayCeilingSql), which is the stay's own base
 * and weekend prices unless it touches a room type's premium nights. A stored ceiling would
 * count the peak season on every stay, and a walk by it priced ~3,000 Seoul properties for a
 * page where ~300 can reach it. The ranking reads the place's room types from an index in
 * ceiling order (migrations 0008, 0009), only as far down as a threshold the first few hundred
 * set, and ranks further only when the walk gets past what it sent back.
 */

interface Ranked {
  propertyId: string;
  bound: number;
  distanceKm: number;
}

/** Candidates in bound order, down to where `complete` says whether any are left out. */
interface Ranking {
  rows: Ranked[];
  complete: boolean;
}

const direction = (q: SearchQuery) => sql.raw(q.sort === "price_desc" ? "desc" : "asc");

/**
 * Circles and fuzzy destinations: the best-ranked `limit` candidates by property, bounds from
 * their room types, each with how many candidates there are in all (for estimated totals).
 */
function rankedPropertiesSql(q: SearchQuery, match: DestinationMatch, now: Date, limit: number): SQL {
  return sql`select c.*, count(*) over ()::int as "candidates" from (
      select p.id as "propertyId", ${sortBoundSql(q, sql`p.id`)} as "bound", ${distanceExpr(q)} as "distanceKm"
      from properties p
      where ${allOf([...placeFilters(q, match), ...attributeFilters(q, now)])}
    ) c
    where c."bound" is not null
    order by c."bound" ${direction(q)}, c."propertyId"
    limit ${limit}::int`;
}

/**
 * Dearest first at a named region or city, or anywhere: properties by the most the stay can
 * cost in a fitting room type whose price can meet the nightly price filter, every one whose
 * bound reaches a threshold (all of them when "threshold" is null). The threshold is the
 * `first`-th best property bound among the room types of highest ceiling, read off an index in
 * ceiling order: a room type below it by its ceiling cannot reach it by its stay, so the ranking
 * reads only those above. The property's other filters are left to the offer (`offersSql`).
 */
function rankedRoomTypesSql(q: SearchQuery, match: DestinationMatch, first: number): SQL {
  const where = roomTypesAtPlace(q, match);
  const nights = q.dates?.nights ?? 1;
  let ceiling = stayCeilingSql(q, "rt");
  // Offers are filtered by their average night, rounded down (bestOfferSql).
  if (q.price?.maxMinor !== undefined) {
    const most = (q.price.maxMinor + 1) * nights - 1;
    where.push(sql`${stayFloorSql(q, "rt")} <= ${most}::float8`);
    ceiling = sql`least(${ceiling}, ${most}::float8)`;
  }
  if (q.price?.minMinor !== undefined) where.push(sql`${ceiling} >= ${q.price.minMinor * nights}::float8`);
  return sql`with top as (
      select rt.property_id, ${ceiling} as bound from room_types rt
      where ${allOf(where)}
      order by rt.price_ceiling_minor desc
      limit ${4 * first}::int
    ),
    threshold as (
      select max(bound) as at_least from top group by property_id order by at_least desc offset ${first - 1}::int limit 1
    )
    select rt.property_id as "propertyId", max(${ceiling})::float8 as "bound", 0::float8 as "distanceKm",
      (select at_least from threshold)::float8 as "threshold"
    from room_types rt
    -- By the ceiling alone, so that the index can start there (rounded down: never too high).
    where ${allOf(where)} and rt.price_ceiling_minor >= coalesce((select floor(at_least / ${nights}::float8) from threshold), 0)::bigint
    group by rt.property_id
    -- A property below it may have room types the scan left out, so its bound would be short.
    having max(${ceiling}) >= coalesce((select at_least from threshold), '-infinity')
    order by "bound" desc, "propertyId"`;
}

/**
 * The best offers of `ids` (one row each, nulls for none) among properties that pass the other
 * filters (ranking by room types does not look at them), and whether each can still come after
 * a later page's cursor.
 */
function offersSql(q: SearchQuery, ids: readonly string[], now: Date): SQL {
  const reachable = pastCursorSql(q, sql`p.id`) ?? sql`true`;
  const passes = allOf([reachable, sql`p.status = 'listed'`, ...attributeFilters(q, now)]);
  return sql`select c.id as "propertyId", ${reachable} as "reachable", b.room_type_id as "roomTypeId", b.unit_total::float8 as "unitTotal",
      b.remaining::int as "remaining"
    from unnest(string_to_array(${ids.join(",")}, ',')::uuid[]) as c(id)
    join properties p on p.id = c.id
    left join lateral (select o.* from (${bestOfferSql(q, "p")}) o where ${passes}) b on true`;
}

// Candidates ranked at first, per row of the page: about what a dearest-first page at Seoul
// walks (~300 properties for 20 results at 100k). A walk that gets further ranks again with
// eight times as many, which costs about what the first ranking did.
const FIRST_RANKED_PER_ROW = 16;

/**
 * One page of a price sort by ranking: at a circle or fuzzy destination, or dearest first.
 * `placeSize` counts the properties at a named place or anywhere, for estimated totals.
 */
export async function rankedWalkPage<Row>(db: AccommodationDb, q: SearchQuery, match: DestinationMatch, now: Date, placeSize: () => Promise<number>): Promise<Row[]> {
  // A named region or city, or anywhere, has an index of its room types to rank from.
  const byRoomTypes = q.location.kind === "anywhere" || (q.location.kind === "text" && match !== "fuzzy");
  let candidates = 0;
  const rank = async (first: number): Promise<Ranking> => {
    if (byRoomTypes) {
      const rows = (await db.execute(rankedRoomTypesSql(q, match, first))) as unknown as (Ranked & { threshold: number | null })[];
      return { rows, complete: rows.length === 0 || rows[0]!.threshold === null };
    }
    const rows = (await db.execute(rankedPropertiesSql(q, match, now, first))) as unknown as (Ranked & { candidates: number })[];
    candidates = rows[0]?.candidates ?? 0;
    return { rows, complete: rows.length < first };
  };
  let first = FIRST_RANKED_PER_ROW * (q.pageSize + 1);
  let ranking = await rank(first);
  const sign = q.sort === "price_desc" ? -1 : 1;
  let at = 0;
  const next: NextSteps = async (limit, pageEnd) => {
    // Ranked again, further: the walk went past what the ranking sent back.
    while (at + limit > ranking.rows.length && !ranking.complete) {
      first *= 8;
      ranking = await rank(first);
    }
    const batch = ranking.rows.slice(at, at + limit);
    at += batch.length;
    // Beyond the page's last row: not worth a calendar read (ties may still enter by id).
    const priced = batch.filter((r) => pageEnd === undefined || sign * r.bound <= sign * pageEnd);
    const offers =
      priced.length === 0
        ? []
        : ((await db.execute(offersSql(q, priced.map((r) => r.propertyId), now))) as unknown as (Pick<WalkStep, "propertyId" | "roomTypeId" | "unitTotal" | "remaining"> & { reachable: boolean })[]);
    const byId = new Map(offers.map((o) => [o.propertyId, o]));
    return batch.map(({ propertyId, bound, distanceKm }) => {
      const o = byId.get(propertyId);
      const skipped = o === undefined || !o.reachable;
      return { propertyId, bound, distanceKm, skipped, roomTypeId: o?.roomTypeId ?? null, unitTotal: o?.unitTotal ?? null, remaining: o?.remaining ?? null };
    });
  };
  return walkPage<Row>(db, q, next, async () => (byRoomTypes ? placeSize() : candidates));
}
