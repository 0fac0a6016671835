import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery, SearchSort } from "../../domain/search.js";
import { fromPriceSql, nightPriceSql } from "./night-price-sql.js";

/* What every search statement shares: its sort keys, the cursor, and the columns of a page. */

/** Ascending sort keys over a row: k2 undefined when it is constant (so an index can serve the order). */
export interface Keys {
  k1: SQL;
  k2: SQL | undefined;
}

/** Keys of the price sorts, over the offer's `unit_total` of row `row`. */
export function priceKeys(sort: SearchSort, row: string): Keys {
  const total = sql`${sql.raw(row)}.unit_total::float8`;
  return { k1: sort === "price_desc" ? sql`-${total}` : total, k2: undefined };
}

export const orderBy = (k: Keys, id: SQL) => (k.k2 === undefined ? sql`${k.k1}, ${id}` : sql`${k.k1}, ${k.k2}, ${id}`);

/** Rows strictly after the cursor in the order of `k`. */
export function afterCursor(q: SearchQuery, k: Keys, id: SQL): SQL {
  const a = q.after;
  if (a === undefined) return sql`true`;
  return k.k2 === undefined
    ? sql`(${k.k1}, ${id}) > (${a.k1}::float8, ${a.id}::uuid)`
    : sql`(${k.k1}, ${k.k2}, ${id}) > (${a.k1}::float8, ${a.k2}::float8, ${a.id}::uuid)`;
}

/** The columns a result card needs, over `m` (id, k1, k2, room_type_id, unit_total, remaining, distance_km). */
export function pageSelect(q: SearchQuery, extra: SQL): SQL {
  const breakdown = q.dates === undefined
    ? sql`null::float8[]`
    : sql`(select array_agg(${nightPriceSql("rt", sql`g.d::date`, sql`i.price_override_minor`)}::float8 order by g.d)
        from generate_series(${q.dates.checkIn}::date, ${q.dates.checkOut}::date - 1, interval '1 day') as g(d)
        left join inventory i on i.room_type_id = rt.id and i.night = g.d::date)`;
  return sql`select m.id as "propertyId", m.k1 as "k1", m.k2 as "k2", ${extra},
      m.distance_km as "distanceKm", m.unit_total::float8 as "unitTotal", m.remaining::int as "remaining",
      p.name, p.property_type as "propertyType", p.star_rating as "starRating", p.city, p.region,
      p.country_code as "countryCode", p.latitude, p.longitude, p.photos -> 0 as "coverPhoto",
      p.rating_average as "ratingAverage", p.rating_count as "ratingCount", p.rating_score as "ratingScore",
      p.cancellation_policy as "cancellationPolicy", p.amenities, p.currency, p.time_zone as "timeZone",
      p.check_in_time as "checkInTime",
      (select min(${fromPriceSql("r2")})::float8 from room_types r2 where r2.property_id = p.id) as "lowestNightly",
      rt.id as "roomTypeId", rt.name as "roomTypeName", ${breakdown} as "nightly"
    from m
    join properties p on p.id = m.id
    join room_types rt on rt.id = m.room_type_id
    order by m.k1, m.k2, m.id`;
}
