import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery, SearchSort } from "../../domain/search.js";
import type { DestinationMatch } from "./filters-sql.js";
import type { Keys } from "./page-sql.js";
import { afterCursor, orderBy, pageSelect } from "./page-sql.js";
import { allOf, attributeFilters, bestOfferSql, distanceExpr, placeFilters, textRankExpr } from "./filters-sql.js";

/*
 * The one statement behind a page sorted on the property alone (relevance, rating, distance;
 * overview: index.ts). It ranks the candidates first, which costs no inventory reads, and then
 * looks for an offer down that order only until the page is full: a city of 20,000 properties
 * costs about page-size offer lookups, not 20,000. The total is then an estimate (the proto
 * says so): candidates times the share of those looked at that had an offer. It resumes after
 * the cursor with one row comparison `(k1, k2, id) > (...)`, and computes the nightly breakdown
 * for the page's rows only. Price sorts order by the offer itself: floor-walk.ts, ranked-walk.ts.
 */

/** Does `sort` order by the stay's price (and so need every candidate's offer)? */
export const sortsByPrice = (sort: SearchSort) => sort === "price_asc" || sort === "price_desc";

/**
 * How well a property fits, without its price: text match, its stored `quality` (rating
 * weighted by how many reviews back it, and stars) and closeness within a circle.
 */
function relevanceExpr(q: SearchQuery, match: DestinationMatch): SQL {
  const radius = q.location.kind === "near" ? q.location.radiusKm : 1;
  return sql`(${textRankExpr(q, match)} + p.quality - 0.3 * ${distanceExpr(q)} / ${radius}::float8)`;
}

/** Keys of the property-level sorts, over `p`; as `sortKeys` in domain/search.ts. */
function rankKeys(q: SearchQuery, match: DestinationMatch): Keys {
  switch (q.sort) {
    case "relevance":
      // Anywhere, or at a named region or city, every property matches alike, so relevance is
      // its quality alone: exactly the expression the *relevance_idx indexes are ordered by.
      return { k1: walksAnIndex(q, match) ? sql`-p.quality` : sql`-${relevanceExpr(q, match)}`, k2: undefined };
    case "rating_desc":
      // The ranking score, not the mean: one 5-star review must not outrank a hundred 4.8s.
      return { k1: sql`-p.rating_score`, k2: sql`-(p.rating_count::float8)` };
    case "distance_asc":
      return { k1: distanceExpr(q), k2: undefined };
    case "price_asc":
    case "price_desc":
      throw new Error("price sorts are not ranked by property");
    default: {
      const _x: never = q.sort;
      throw new Error(`unknown sort ${String(_x)}`);
    }
  }
}

/**
 * Whether a property-level sort can walk an index in order (anywhere, or a named region or
 * city, by relevance or rating); otherwise its candidates are sorted first.
 */
function walksAnIndex(q: SearchQuery, match: DestinationMatch): boolean {
  const place = q.location.kind === "anywhere" || (q.location.kind === "text" && match !== "fuzzy");
  return place && (q.sort === "relevance" || q.sort === "rating_desc");
}

/**
 * Property-level sorts: the properties at the place, after the cursor, in key order, with an
 * offer looked up for each in turn until page_size + 1 have one (the other filters are checked
 * on the way, only for the rows walked).
 * - Where an index serves the order (`walksAnIndex`) the walk sits directly under the LIMIT,
 *   so the planner stops reading the index there; the estimated total takes an index range
 *   count of those up to the page's last row, and how many properties the place has
 *   (`placeCountSql`, which the store keeps a minute: 20,000 index entries for Seoul cost
 *   more than the page).
 * - Other orders rank every property at the place first, in a fenced subquery reading only
 *   the place's index (no table, no inventory), which also numbers and counts them.
 */
function rankedPageSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  return walksAnIndex(q, match) ? indexWalkPageSql(q, match, now) : sortedWalkPageSql(q, match, now);
}

function indexWalkPageSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  const k = rankKeys(q, match);
  const place = allOf(placeFilters(q, match));
  const id = sql`p.id`;
  const lastKeys = k.k2 === undefined ? sql`(${k.k1}, ${id})` : sql`(${k.k1}, ${k.k2}, ${id})`;
  const lastOfPage = k.k2 === undefined
    ? sql`(select l.k1, l.id from m l order by l.k1 desc, l.id desc limit 1)`
    : sql`(select l.k1, l.k2, l.id from m l order by l.k1 desc, l.k2 desc, l.id desc limit 1)`;
  return sql`with m as (
      select p.id, ${distanceExpr(q)} as distance_km, ${k.k1} as k1, ${k.k2 ?? sql`0::float8`} as k2,
        b.room_type_id, b.unit_total, b.remaining
      from properties p cross join lateral (${bestOfferSql(q, "p")}) b
      where ${place} and ${allOf(attributeFilters(q, now))} and ${afterCursor(q, k, id)}
      order by ${orderBy(k, id)}
      limit ${q.pageSize + 1}::int
    )
    ${pageSelect(q, sql`(select count(*) from properties p where ${place} and ${afterCursor(q, k, id)} and ${lastKeys} <= ${lastOfPage})::int as "ord"`)}`;
}

/** How many listed properties are at `q`'s place, when `placeCounted(q, match)`: the other statements count as they go. */
export function placeCountSql(q: SearchQuery, match: DestinationMatch): SQL {
  return sql`select count(*)::int as "n" from properties p where ${allOf(placeFilters(q, match))}`;
}

/** Whether a page of `q` needs `placeCountSql` for its estimated total. */
export const placeCounted = (q: SearchQuery, match: DestinationMatch) => !sortsByPrice(q.sort) && walksAnIndex(q, match);

function sortedWalkPageSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  const k = rankKeys(q, match);
  const id = sql`p.id`;
  const all = sql`over (w rows between unbounded preceding and unbounded following)`;
  // One window, in the subquery's own order, so the planner knows its rows come sorted and
  // the walk above can stop at the LIMIT.
  const ranked = sql`select p.id, ${distanceExpr(q)} as distance_km, ${k.k1} as k1, ${k.k2 ?? sql`0::float8`} as k2,
      row_number() over w as ord, count(*) ${all} as n, count(*) filter (where not ${afterCursor(q, k, id)}) ${all} as skipped
    from properties p
    where ${allOf(placeFilters(q, match))}
    window w as (order by ${orderBy(k, id)})
    order by ${orderBy(k, id)}
    offset 0`;
  const after = q.after === undefined ? sql`true` : sql`(s.k1, s.k2, s.id) > (${q.after.k1}::float8, ${q.after.k2}::float8, ${q.after.id}::uuid)`;
  return sql`with m as (
      select s.id, s.distance_km, s.k1, s.k2, s.ord - s.skipped as ord, s.n, b.room_type_id, b.unit_total, b.remaining
      from (${ranked}) s
      join properties p on p.id = s.id
      cross join lateral (${bestOfferSql(q, "p")}) b
      where ${after} and ${allOf(attributeFilters(q, now))}
      order by s.k1, s.k2, s.id
      limit ${q.pageSize + 1}::int
    )
    ${pageSelect(q, sql`m.ord::int as "ord", m.n::int as "candidates"`)}`;
}

/**
 * The statement for one page of `q` sorted by the property alone (page_size + 1 rows: the extra
 * one says a next page exists). Price sorts: floor-walk.ts and ranked-walk.ts.
 */
export function propertySortPageSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  if (sortsByPrice(q.sort)) throw new Error("price sorts are paged by floorWalkPage or rankedWalkPage");
  return rankedPageSql(q, match, now);
}
