import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { addDays } from "../domain/dates.js";
import type { SearchQuery, SearchSort } from "../domain/search.js";

/*
 * The one statement behind a search page. CTEs, outermost last:
 *   cand     listed properties passing the property-level filters (location, country, type,
 *            rating, currency of the price bounds, check-in not past at the property, free
 *            cancellation);
 *   offers   their room types that take the party in `units` units and, with dates, have
 *            enough units left on every night and no stay restriction; one aggregate per room
 *            type over the inventory rows of [check_in, check_out] (a PK range scan); nights
 *            without a row count as the room type's defaults (unit_count units, base price,
 *            no restriction), exactly as `calendarDay` reads them;
 *   best     the cheapest such offer per property;
 *   matches  the sort keys (k1, k2, id) and the total count;
 * then the page after the cursor, with the nightly breakdown computed for its rows only.
 * Availability follows `checkBookable`: closed to arrival and minimum stay on the first night,
 * units on every night, closed to departure on the check-out day.
 */

const lit = (values: readonly string[]) => sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

// LIKE wildcards in the caller's text match themselves.
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function distanceExpr(q: SearchQuery): SQL {
  if (q.location.kind !== "near") return sql`0::float8`;
  const { latitude, longitude } = q.location;
  return sql`(earth_distance(ll_to_earth(p.latitude, p.longitude), ll_to_earth(${latitude}::float8, ${longitude}::float8)) / 1000.0)`;
}

function textRankExpr(q: SearchQuery): SQL {
  if (q.location.kind !== "text") return sql`0::float8`;
  const t = q.location.text.trim();
  return sql`(ts_rank(p.search, plainto_tsquery('simple', ${t}))::float8 + similarity(lower(p.city), lower(${t}))::float8)`;
}

function propertyFilters(q: SearchQuery, now: Date): SQL[] {
  const where: SQL[] = [sql`p.status = 'listed'`];
  const loc = q.location;
  if (loc.kind === "text") {
    const t = loc.text.trim().toLowerCase();
    const like = `%${likeEscape(t)}%`;
    // Each branch has its own index (trigram on city and region, GIN on the tsvector), so the
    // planner can OR their bitmaps instead of scanning the table.
    where.push(sql`(lower(p.city) like ${like} or lower(p.region) like ${like} or lower(p.city) % ${t}
      or p.search @@ plainto_tsquery('simple', ${t}))`);
  } else if (loc.kind === "near") {
    const centre = sql`ll_to_earth(${loc.latitude}::float8, ${loc.longitude}::float8)`;
    const metres = loc.radiusKm * 1000;
    where.push(sql`earth_box(${centre}, ${metres}::float8) @> ll_to_earth(p.latitude, p.longitude)`);
    where.push(sql`earth_distance(ll_to_earth(p.latitude, p.longitude), ${centre}) <= ${metres}::float8`);
  }
  if (q.countryCode !== undefined) where.push(sql`p.country_code = ${q.countryCode}`);
  if (q.types.length > 0) where.push(sql`p.property_type = any(${lit(q.types)})`);
  if (q.minRating > 0) where.push(sql`p.rating_count > 0 and p.rating_average >= ${q.minRating}::float8`);
  if (q.price !== undefined) where.push(sql`p.currency = ${q.price.currency}`);
  // Not past where the property is. Local dates run at most a day either side of UTC's, so
  // only a check-in within a day of it needs the (per-row, costly) time-zone conversion.
  if (q.dates !== undefined && q.dates.checkIn <= addDays(now.toISOString().slice(0, 10), 1)) {
    where.push(sql`${q.dates.checkIn}::date >= (${now.toISOString()}::timestamptz at time zone p.time_zone)::date`);
  }
  if (q.freeCancellationOnly) {
    if (q.dates === undefined) {
      where.push(sql`p.cancellation_policy in ('flexible', 'moderate')`);
    } else {
      // freeCancellationUntil(policy, now, checkInAt) >= now, per policy (cancellation-policy.ts).
      const checkInAt = sql`((${q.dates.checkIn}::date + coalesce(nullif(p.check_in_time, ''), '00:00')::time) at time zone p.time_zone)`;
      const nowTs = sql`${now.toISOString()}::timestamptz`;
      where.push(sql`(case p.cancellation_policy
        when 'flexible' then ${checkInAt} - interval '1 day' >= ${nowTs}
        when 'moderate' then ${checkInAt} - interval '5 days' >= ${nowTs}
        when 'strict' then ${checkInAt} - interval '14 days' >= ${nowTs}
        else false end)`);
    }
  }
  return where;
}

function offersCte(q: SearchQuery): SQL {
  const fits = sql`${q.adults}::int <= rt.max_adults * ${q.units}::int
    and ${q.adults + q.children}::int <= (rt.max_adults + rt.max_children) * ${q.units}::int`;
  const amenities = q.amenities.length > 0 ? sql`and (c.amenities || rt.amenities) @> ${lit(q.amenities)}` : sql``;
  const d = q.dates;
  if (d === undefined) {
    const price = priceBounds(q, sql`rt.base_price_minor`);
    return sql`select rt.property_id, rt.id as room_type_id, rt.base_price_minor, rt.base_price_minor as unit_total,
        rt.unit_count as remaining
      from cand c join room_types rt on rt.property_id = c.id
      where ${fits} and rt.unit_count >= ${q.units}::int ${amenities} ${price}`;
  }
  const n = sql`${d.nights}::int`;
  const ci = sql`${d.checkIn}::date`;
  const co = sql`${d.checkOut}::date`;
  const unitTotal = sql`(inv.row_sum + (${n} - inv.n_rows) * rt.base_price_minor)`;
  const remaining = sql`least(inv.row_min, case when inv.n_rows < ${n} then rt.unit_count end)`;
  return sql`select rt.property_id, rt.id as room_type_id, rt.base_price_minor, ${unitTotal} as unit_total,
        ${remaining} as remaining
      from cand c
      join room_types rt on rt.property_id = c.id
      cross join lateral (
        select count(*) filter (where i.night < ${co}) as n_rows,
          coalesce(sum(coalesce(i.price_override_minor, rt.base_price_minor)) filter (where i.night < ${co}), 0) as row_sum,
          min(i.units_total - i.units_held - i.units_booked) filter (where i.night < ${co}) as row_min,
          coalesce(bool_or(i.night = ${ci} and (i.closed_to_arrival or i.min_stay_nights > ${n})), false) as arrival_blocked,
          coalesce(bool_or(i.night = ${co} and i.closed_to_departure), false) as departure_blocked
        from inventory i
        where i.room_type_id = rt.id and i.night >= ${ci} and i.night <= ${co}
      ) inv
      where ${fits} ${amenities}
        and not inv.arrival_blocked and not inv.departure_blocked
        and ${remaining} >= ${q.units}::int
        ${priceBounds(q, sql`floor(${unitTotal} / ${n})`)}`;
}

function priceBounds(q: SearchQuery, nightly: SQL): SQL {
  const parts: SQL[] = [];
  if (q.price?.minMinor !== undefined) parts.push(sql`and ${nightly} >= ${q.price.minMinor}::bigint`);
  if (q.price?.maxMinor !== undefined) parts.push(sql`and ${nightly} <= ${q.price.maxMinor}::bigint`);
  return sql.join(parts, sql` `);
}

function sortKeysSql(sort: SearchSort): { k1: SQL; k2: SQL } {
  switch (sort) {
    case "relevance":
      return { k1: sql`-m0.relevance`, k2: sql`0::float8` };
    case "price_asc":
      return { k1: sql`m0.unit_total::float8`, k2: sql`0::float8` };
    case "price_desc":
      return { k1: sql`-(m0.unit_total::float8)`, k2: sql`0::float8` };
    case "rating_desc":
      return { k1: sql`-m0.rating_average`, k2: sql`-(m0.rating_count::float8)` };
    case "distance_asc":
      return { k1: sql`m0.distance_km`, k2: sql`0::float8` };
    default: {
      const _x: never = sort;
      throw new Error(`unknown sort ${String(_x)}`);
    }
  }
}

/** The statement for one page of `q` (page_size + 1 rows: the extra one says a next page exists). */
export function searchPageSql(q: SearchQuery, now: Date): SQL {
  const nights = q.dates?.nights ?? 1;
  // Rating weighted by how many reviews back it, text match, a stay cheaper than the room's
  // base price, and closeness when searching a circle.
  const radius = q.location.kind === "near" ? q.location.radiusKm : 1;
  const relevance = sql`(c.text_rank
    + (c.rating_average / 5.0) * (1 - 1 / (1 + ln(1 + c.rating_count)))
    + 0.02 * c.star_rating
    + 0.2 * least(b.base_price_minor::float8 * ${nights}::int / greatest(b.unit_total, 1)::float8, 2)
    - 0.3 * c.distance_km / ${radius}::float8)`;
  const { k1, k2 } = sortKeysSql(q.sort);
  const after = q.after === undefined ? sql`true` : sql`(m.k1, m.k2, m.id) > (${q.after.k1}::float8, ${q.after.k2}::float8, ${q.after.id}::uuid)`;
  const breakdown = q.dates === undefined
    ? sql`null::float8[]`
    : sql`(select array_agg(coalesce(i.price_override_minor, rt.base_price_minor)::float8 order by g.d)
        from generate_series(${q.dates.checkIn}::date, ${q.dates.checkOut}::date - 1, interval '1 day') as g(d)
        left join inventory i on i.room_type_id = rt.id and i.night = g.d::date)`;
  return sql`with cand as (
      select p.id, p.currency, p.amenities, p.rating_average, p.rating_count, p.star_rating,
        ${distanceExpr(q)} as distance_km, ${textRankExpr(q)} as text_rank
      from properties p
      where ${sql.join(propertyFilters(q, now), sql` and `)}
    ),
    offers as (${offersCte(q)}),
    best as (
      select distinct on (property_id) * from offers order by property_id, unit_total, room_type_id
    ),
    m0 as (
      select c.id, c.distance_km, c.rating_average, c.rating_count, b.room_type_id, b.unit_total, b.remaining,
        ${relevance} as relevance
      from cand c join best b on b.property_id = c.id
    ),
    m as (
      select m0.*, ${k1} as k1, ${k2} as k2, count(*) over () as total_size from m0
    )
    select m.id as "propertyId", m.k1 as "k1", m.k2 as "k2", m.total_size::int as "totalSize",
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
    where ${after}
    order by m.k1, m.k2, m.id
    limit ${q.pageSize + 1}::int`;
}
