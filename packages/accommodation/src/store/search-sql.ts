import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery, SearchSort } from "../domain/search.js";
import type { DestinationMatch } from "./search-filters-sql.js";
import { bestOfferSql, distanceExpr, propertyFilters, textRankExpr } from "./search-filters-sql.js";

/*
 * The one statement behind a search page. Two shapes, by what the sort needs:
 *
 * - Sorts on the property alone (relevance, rating, distance) rank the candidates first, which
 *   costs no inventory reads, and then look for an offer down that order only until the page
 *   is full: a city of 20,000 properties costs about page-size offer lookups, not 20,000. The
 *   total is then an estimate (the proto says so): candidates times the share of those looked
 *   at that had an offer.
 * - Price sorts need every candidate's offer to order them, and count exactly.
 *
 * Both resume after the cursor with one row comparison `(k1, k2, id) > (...)`, and compute the
 * nightly breakdown for the page's rows only.
 */

/** Does `sort` order by the stay's price (and so need every candidate's offer)? */
export const sortsByPrice = (sort: SearchSort) => sort === "price_asc" || sort === "price_desc";

/** How well a property fits, without its price: text match, rating weighted by how many reviews back it, stars, closeness within a circle. */
function relevanceExpr(q: SearchQuery): SQL {
  const radius = q.location.kind === "near" ? q.location.radiusKm : 1;
  return sql`(c.text_rank
    + (c.rating_average / 5.0) * (1 - 1 / (1 + ln(1 + c.rating_count)))
    + 0.02 * c.star_rating
    - 0.3 * c.distance_km / ${radius}::float8)`;
}

/** (k1, k2) over a row `c` of candidates with `relevance` and, for price sorts, `unit_total`; as `sortKeys` in domain/search.ts. */
function sortKeysSql(sort: SearchSort): { k1: SQL; k2: SQL } {
  switch (sort) {
    case "relevance":
      return { k1: sql`-c.relevance`, k2: sql`0::float8` };
    case "price_asc":
      return { k1: sql`c.unit_total::float8`, k2: sql`0::float8` };
    case "price_desc":
      return { k1: sql`-(c.unit_total::float8)`, k2: sql`0::float8` };
    case "rating_desc":
      return { k1: sql`-c.rating_average`, k2: sql`-(c.rating_count::float8)` };
    case "distance_asc":
      return { k1: sql`c.distance_km`, k2: sql`0::float8` };
    default: {
      const _x: never = sort;
      throw new Error(`unknown sort ${String(_x)}`);
    }
  }
}

function candidatesCte(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  return sql`cand0 as (
      select p.id, p.amenities, p.rating_average, p.rating_count, p.star_rating,
        ${distanceExpr(q)} as distance_km, ${textRankExpr(q, match)} as text_rank
      from properties p
      where ${sql.join(propertyFilters(q, match, now), sql` and `)}
    ),
    cand as (select c.*, ${relevanceExpr(q)} as relevance from cand0 c)`;
}

const afterCursor = (q: SearchQuery, row: string) =>
  q.after === undefined
    ? sql`true`
    : sql`(${sql.raw(row)}.k1, ${sql.raw(row)}.k2, ${sql.raw(row)}.id) > (${q.after.k1}::float8, ${q.after.k2}::float8, ${q.after.id}::uuid)`;

/** The columns a result card needs, over `m` (id, k1, k2, room_type_id, unit_total, remaining, distance_km, relevance). */
function pageSelect(q: SearchQuery, extra: SQL): SQL {
  const breakdown = q.dates === undefined
    ? sql`null::float8[]`
    : sql`(select array_agg(coalesce(i.price_override_minor, rt.base_price_minor)::float8 order by g.d)
        from generate_series(${q.dates.checkIn}::date, ${q.dates.checkOut}::date - 1, interval '1 day') as g(d)
        left join inventory i on i.room_type_id = rt.id and i.night = g.d::date)`;
  return sql`select m.id as "propertyId", m.k1 as "k1", m.k2 as "k2", ${extra},
      m.distance_km as "distanceKm", m.relevance as "relevance", m.unit_total::float8 as "unitTotal",
      m.remaining::int as "remaining",
      p.name, p.property_type as "propertyType", p.star_rating as "starRating", p.city, p.region,
      p.country_code as "countryCode", p.latitude, p.longitude, p.photos -> 0 as "coverPhoto",
      p.rating_average as "ratingAverage", p.rating_count as "ratingCount",
      p.cancellation_policy as "cancellationPolicy", p.amenities, p.currency, p.time_zone as "timeZone",
      p.check_in_time as "checkInTime",
      (select min(r2.base_price_minor)::float8 from room_types r2 where r2.property_id = p.id) as "lowestNightly",
      rt.id as "roomTypeId", rt.name as "roomTypeName", ${breakdown} as "nightly"
    from m
    join properties p on p.id = m.id
    join room_types rt on rt.id = m.room_type_id
    order by m.k1, m.k2, m.id`;
}

/**
 * Property-level sorts: candidates ranked (with their place `ord` in the whole order, how many
 * there are and how many the cursor skips), then offers looked up lazily down that order.
 * The nested loop under the LIMIT stops at the first page_size + 1 properties with an offer.
 */
function rankedPageSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  const { k1, k2 } = sortKeysSql(q.sort);
  const all = sql`(w rows between unbounded preceding and unbounded following)`;
  return sql`with ${candidatesCte(q, match, now)},
    keyed as (select c.*, ${k1} as k1, ${k2} as k2 from cand c),
    ranked as (
      select c.*, row_number() over w as ord, count(*) over ${all} as n_cand,
        count(*) filter (where not ${afterCursor(q, "c")}) over ${all} as n_before
      from keyed c
      window w as (order by c.k1, c.k2, c.id)
    ),
    m as (
      select c.*, b.room_type_id, b.unit_total, b.remaining
      from ranked c cross join lateral (${bestOfferSql(q)}) b
      where ${afterCursor(q, "c")}
      order by c.k1, c.k2, c.id
      limit ${q.pageSize + 1}::int
    )
    ${pageSelect(q, sql`m.ord::int as "ord", m.n_cand::int as "candidates", m.n_before::int as "skipped"`)}`;
}

/** Price sorts: every candidate's best offer, ordered by its total; counts exactly. */
function pricedPageSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  const { k1, k2 } = sortKeysSql(q.sort);
  return sql`with ${candidatesCte(q, match, now)},
    offered as (
      select c.*, b.room_type_id, b.unit_total, b.remaining
      from cand c cross join lateral (${bestOfferSql(q)}) b
    ),
    keyed as (select c.*, ${k1} as k1, ${k2} as k2, count(*) over () as total_size from offered c),
    m as (
      select c.* from keyed c where ${afterCursor(q, "c")}
      order by c.k1, c.k2, c.id
      limit ${q.pageSize + 1}::int
    )
    ${pageSelect(q, sql`m.total_size::int as "totalSize"`)}`;
}

/** The statement for one page of `q` (page_size + 1 rows: the extra one says a next page exists). */
export function searchPageSql(q: SearchQuery, match: DestinationMatch, now: Date): SQL {
  return sortsByPrice(q.sort) ? pricedPageSql(q, match, now) : rankedPageSql(q, match, now);
}

/** Whether any listed property is in a city or region named `key` (a `destinationKey`). */
export function destinationExistsSql(key: string): SQL {
  return sql`select exists (select 1 from properties p where p.status = 'listed' and lower(p.city) = ${key})
    or exists (select 1 from properties p where p.status = 'listed' and lower(p.region) = ${key}) as "exists"`;
}
