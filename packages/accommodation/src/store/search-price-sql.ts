import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { destinationKey, type SearchQuery } from "../domain/search.js";
import type { AccommodationDb } from "./db.js";
import type { DestinationMatch } from "./search-filters-sql.js";
import { allOf, attributeFilters, bestOfferSql, distanceExpr, fitsSql, placeFilters } from "./search-filters-sql.js";
import { pastCursorSql, sortBoundSql, stayCeilingSql, stayFloorSql } from "./search-price-bounds.js";
import { type NextSteps, type WalkStep, walkPage } from "./search-price-walk.js";

/*
 * Price sorts that rank their candidates by bound first and then walk that list: circles and
 * fuzzy destinations, which have no index of room types by place (search-price-walk.ts walks
 * the named places and anywhere cheapest first), and dearest first everywhere.
 *
 * Dearest first ranks by what the stay can cost (stayCeilingSql), which is the stay's own base
 * and weekend prices unless it touches a room type's premium nights. A stored ceiling would
 * count the peak season on every stay, and a walk by it priced ~3,000 Seoul properties for a
 * page where ~200 can reach it. The ranking reads the place's room types from an index
 * (migration 0008; ~30k at Seoul, ~30 ms) and sends back only the best-ranked `limit`.
 */

interface Ranked {
  propertyId: string;
  bound: number;
  distanceKm: number;
  candidates: number;
}

/**
 * The best-ranked `limit` of `candidates` (rows of "propertyId", "bound", "distanceKm" and
 * "reachable": false when wholly before the cursor, so never on this page), in bound order,
 * each with how many candidates there are in all (for estimated totals, the same on every page).
 */
function bestRanked(q: SearchQuery, candidates: SQL, limit: number): SQL {
  return sql`select c."propertyId", c."bound", c."distanceKm", c."candidates" from (
      select r.*, count(*) over ()::int as "candidates" from (${candidates}) r where r."bound" is not null
    ) c
    where c."reachable"
    order by c."bound" ${sql.raw(q.sort === "price_desc" ? "desc" : "asc")}, c."propertyId"
    limit ${limit}::int`;
}

/** Circles and fuzzy destinations: the candidates by property, bounds from their room types. */
function rankedPropertiesSql(q: SearchQuery, match: DestinationMatch, now: Date, limit: number): SQL {
  return bestRanked(q, sql`select p.id as "propertyId", ${sortBoundSql(q, sql`p.id`)} as "bound", ${distanceExpr(q)} as "distanceKm",
      ${pastCursorSql(q, sql`p.id`) ?? sql`true`} as "reachable"
    from properties p
    where ${allOf([...placeFilters(q, match), ...attributeFilters(q, now)])}`, limit);
}

/**
 * Dearest first at a named region or city, or anywhere: the best-ranked `limit` properties by
 * the most the stay can cost in a fitting room type whose price can meet the nightly price
 * filter. The property's other filters are left to the offer (`offersSql`).
 */
function rankedRoomTypesSql(q: SearchQuery, match: DestinationMatch, limit: number): SQL {
  const where: SQL[] = [sql`rt.place_listed`, fitsSql(q, "rt")];
  if (q.location.kind === "text") {
    const key = destinationKey(q.location.text);
    where.push(match === "region" ? sql`rt.place_region = ${key}` : sql`rt.place_city = ${key}`);
  }
  const nights = q.dates?.nights ?? 1;
  let ceiling = stayCeilingSql(q, "rt");
  // Offers are filtered by their average night, rounded down (bestOfferSql).
  if (q.price?.maxMinor !== undefined) {
    const most = (q.price.maxMinor + 1) * nights - 1;
    where.push(sql`${stayFloorSql(q, "rt")} <= ${most}::float8`);
    ceiling = sql`least(${ceiling}, ${most}::float8)`;
  }
  if (q.price?.minMinor !== undefined) where.push(sql`${ceiling} >= ${q.price.minMinor * nights}::float8`);
  // Wholly before the cursor: even its cheapest offer is dearer than the cursor's.
  const reachable = q.after === undefined ? sql`true` : sql`min(${stayFloorSql(q, "rt")}) <= ${-q.after.k1}::float8`;
  return bestRanked(q, sql`select rt.property_id as "propertyId", max(${ceiling})::float8 as "bound", 0::float8 as "distanceKm", ${reachable} as "reachable"
    from room_types rt
    where ${allOf(where)}
    group by rt.property_id`, limit);
}

/** The best offers of `ids` (one row each, nulls for none); with `now`, only of properties that pass the other filters. */
function offersSql(q: SearchQuery, ids: readonly string[], now: Date | undefined): SQL {
  const passes = now === undefined ? sql`true` : allOf([sql`p.status = 'listed'`, ...attributeFilters(q, now)]);
  return sql`select c.id as "propertyId", b.room_type_id as "roomTypeId", b.unit_total::float8 as "unitTotal", b.remaining::int as "remaining"
    from unnest(string_to_array(${ids.join(",")}, ',')::uuid[]) as c(id)
    join properties p on p.id = c.id
    left join lateral (select o.* from (${bestOfferSql(q, "p")}) o where ${passes}) b on true`;
}

// Ranked candidates fetched at first, per row of the page: a few times what a dearest-first
// page at Seoul walks (~300 properties for 20 results at 100k), since ranking again costs as
// much as the first time.
const FIRST_RANKED_PER_ROW = 48;

/** One page of a price sort by ranking: at a circle or fuzzy destination, or dearest first. */
export async function pricedPage<Row>(db: AccommodationDb, q: SearchQuery, match: DestinationMatch, now: Date): Promise<Row[]> {
  // A named region or city, or anywhere, has an index of its room types to rank from.
  const byRoomTypes = q.location.kind === "anywhere" || (q.location.kind === "text" && match !== "fuzzy");
  const rank = (limit: number) => db.execute(byRoomTypes ? rankedRoomTypesSql(q, match, limit) : rankedPropertiesSql(q, match, now, limit)) as unknown as Promise<Ranked[]>;
  let asked = FIRST_RANKED_PER_ROW * (q.pageSize + 1);
  let ranked = await rank(asked);
  const sign = q.sort === "price_desc" ? -1 : 1;
  let at = 0;
  const next: NextSteps = async (limit, pageEnd) => {
    // Ranked again, further: the walk went past what the first ranking sent back.
    while (at + limit > ranked.length && ranked.length === asked) {
      asked *= 8;
      ranked = await rank(asked);
    }
    const batch = ranked.slice(at, at + limit);
    at += batch.length;
    // Beyond the page's last row: not worth a calendar read (ties may still enter by id).
    const priced = batch.filter((r) => pageEnd === undefined || sign * r.bound <= sign * pageEnd);
    const offers =
      priced.length === 0
        ? []
        : ((await db.execute(offersSql(q, priced.map((r) => r.propertyId), byRoomTypes ? now : undefined))) as unknown as Pick<WalkStep, "propertyId" | "roomTypeId" | "unitTotal" | "remaining">[]);
    const byId = new Map(offers.map((o) => [o.propertyId, o]));
    return batch.map(({ propertyId, bound, distanceKm }) => {
      const o = byId.get(propertyId);
      return { propertyId, bound, distanceKm, skipped: o === undefined, roomTypeId: o?.roomTypeId ?? null, unitTotal: o?.unitTotal ?? null, remaining: o?.remaining ?? null };
    });
  };
  return walkPage<Row>(db, q, next, async () => ranked[0]?.candidates ?? 0);
}
