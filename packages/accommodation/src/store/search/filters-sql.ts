import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { addDays } from "../../domain/dates.js";
import { nightKinds } from "../../domain/night-price.js";
import { destinationKey, type SearchQuery } from "../../domain/search.js";
import { defaultNightsSql, fromPriceSql, isWeekendNightSql, nightPriceSql } from "./night-price-sql.js";

/*
 * The pieces of a search statement (property-sort-sql.ts, floor-walk.ts and ranked-walk.ts put
 * them together; overview: index.ts): which properties qualify before room types are looked
 * at, and the best offer of one of them.
 */

/**
 * How a destination text is matched. "region" or "city": it names a region (the wider, so
 * "Jeju" is the whole island) or else a city we list, matched by equality on a covering index
 * (an index-only scan, no table reads). "fuzzy": anything else, by substring, trigram
 * similarity and full text on names and descriptions.
 */
export type DestinationMatch = "region" | "city" | "fuzzy";

// One text parameter however many values (vocabulary words, never a comma): the statement's
// text stays the same, so each connection prepares it once.
const lit = (values: readonly string[]) => sql`string_to_array(${values.join(",")}, ',')::text[]`;

// LIKE wildcards in the caller's text match themselves.
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);


/**
 * Kilometres from the search circle's centre (0 without one): the haversine great-circle
 * distance on earthdistance's sphere, in plain float arithmetic, because earth_distance(
 * ll_to_earth(...)) costs a SQL-function call and a domain check per row, about 15 µs, which
 * is most of a circle search over thousands of properties.
 */
export function distanceExpr(q: SearchQuery): SQL {
  if (q.location.kind !== "near") return sql`0::float8`;
  const lat = sql`${q.location.latitude}::float8`;
  const lng = sql`${q.location.longitude}::float8`;
  return sql`(2 * ${EARTH_RADIUS_KM}::float8 * asin(least(1::float8, sqrt(
    power(sin(radians(p.latitude - ${lat}) / 2), 2)
    + cos(radians(${lat})) * cos(radians(p.latitude)) * power(sin(radians(p.longitude - ${lng}) / 2), 2)))))`;
}

/** How well the destination text matches (0 without one). */
export function textRankExpr(q: SearchQuery, match: DestinationMatch): SQL {
  if (q.location.kind !== "text") return sql`0::float8`;
  const t = destinationKey(q.location.text);
  // Every exact hit matches equally well: the city itself ranks above the rest of its region.
  if (match !== "fuzzy") return sql`(case when lower(p.city) = ${t} then 1.0 else 0.5 end)::float8`;
  return sql`(ts_rank(p.search, plainto_tsquery('simple', ${t}))::float8 + similarity(lower(p.city), ${t})::float8)`;
}

function destinationFilter(text: string, match: DestinationMatch): SQL {
  const t = destinationKey(text);
  if (match === "region") return sql`lower(p.region) = ${t}`;
  if (match === "city") return sql`lower(p.city) = ${t}`;
  const like = `%${likeEscape(t)}%`;
  // Each branch has its own index (trigram on city and region, GIN on the tsvector), so the
  // planner can OR their bitmaps instead of scanning the table.
  return sql`(lower(p.city) like ${like} or lower(p.region) like ${like} or lower(p.city) % ${t}
    or p.search @@ plainto_tsquery('simple', ${t}))`;
}

// earthdistance's sphere (its earth() radius), so the box is never smaller than its circle.
const EARTH_RADIUS_KM = 6378.168;

/** Degrees around a circle, padded by 1%; undefined when it would reach a pole or wrap the antimeridian. */
function boundingBox(latitude: number, longitude: number, radiusKm: number) {
  const dLat = ((radiusKm / EARTH_RADIUS_KM) * 180) / Math.PI * 1.01;
  const south = latitude - dLat;
  const north = latitude + dLat;
  if (south <= -89 || north >= 89) return undefined;
  const widest = Math.cos((Math.max(Math.abs(south), Math.abs(north)) * Math.PI) / 180);
  const dLng = dLat / widest;
  const west = longitude - dLng;
  const east = longitude + dLng;
  if (west <= -180 || east >= 180) return undefined;
  return { south, north, west, east };
}

/** Where the property must be: listed, and at the destination or in the circle. */
export function placeFilters(q: SearchQuery, match: DestinationMatch): SQL[] {
  const where: SQL[] = [sql`p.status = 'listed'`];
  const loc = q.location;
  if (loc.kind === "text") {
    where.push(destinationFilter(loc.text, match));
  } else if (loc.kind === "near") {
    const centre = sql`ll_to_earth(${loc.latitude}::float8, ${loc.longitude}::float8)`;
    const metres = loc.radiusKm * 1000;
    const box = boundingBox(loc.latitude, loc.longitude, loc.radiusKm);
    // A latitude/longitude box serves the btree index (index-only, with the sort keys); near a
    // pole or the antimeridian, where it does not work out, the GiST index on the earth point.
    where.push(box === undefined
      ? sql`earth_box(${centre}, ${metres}::float8) @> ll_to_earth(p.latitude, p.longitude)`
      : sql`p.latitude between ${box.south}::float8 and ${box.north}::float8 and p.longitude between ${box.west}::float8 and ${box.east}::float8`);
    where.push(sql`${distanceExpr(q)} <= ${loc.radiusKm}::float8`);
  }
  return where;
}

/** What else the property must be: country, type, rating, currency, check-in not past there, cancellation policy. */
export function attributeFilters(q: SearchQuery, now: Date): SQL[] {
  const where: SQL[] = [];
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
      // freeCancellationUntil(policy, now, checkInAt) >= now, per policy (@triphub/platform/stay-rules).
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

/** `conditions` joined with `and` (true when there are none). */
export const allOf = (conditions: readonly SQL[]) => (conditions.length === 0 ? sql`true` : sql.join(conditions.map((c) => sql`(${c})`), sql` and `));

/**
 * The best offer of candidate `row` (a row with `id` and `amenities`): its cheapest room type
 * that takes the party in `units` units and, with dates, has enough units left on every night
 * and no stay restriction. No row when none does. One aggregate per room type over the
 * inventory rows of [check_in, check_out] (a primary-key range scan); nights without a row
 * count as the room type's defaults (unit_count units, base or weekend price, no restriction),
 * exactly as `calendarDay` reads them. Availability follows `checkBookable`: closed to arrival
 * and minimum stay on the first night, units on every night, closed to departure on the
 * check-out day. Without dates an offer is one night at the room type's "from" price.
 */
export function bestOfferSql(q: SearchQuery, row: "c" | "p"): SQL {
  const c = sql.raw(row);
  const fits = fitsSql(q, "rt");
  const amenities = q.amenities.length > 0 ? sql`and (${c}.amenities || rt.amenities) @> ${lit(q.amenities)}` : sql``;
  const d = q.dates;
  if (d === undefined) {
    return sql`select rt.id as room_type_id, ${fromPriceSql("rt")} as unit_total, rt.unit_count as remaining
      from room_types rt
      where rt.property_id = ${c}.id and ${fits} and rt.unit_count >= ${q.units}::int ${amenities}
        ${nightlyPriceFilterSql(q, fromPriceSql("rt"))}
      order by unit_total, room_type_id limit 1`;
  }
  const n = sql`${d.nights}::int`;
  const ci = sql`${d.checkIn}::date`;
  const co = sql`${d.checkOut}::date`;
  // Nights without a row cost the defaults, which differ between weekday and weekend nights.
  const { weekdays, weekends } = nightKinds(d.checkIn, d.checkOut);
  const missingWeekdays = sql`(${weekdays}::int - (inv.n_rows - inv.n_weekend_rows))`;
  const missingWeekends = sql`(${weekends}::int - inv.n_weekend_rows)`;
  const unitTotal = sql`(inv.row_sum + ${defaultNightsSql("rt", missingWeekdays, missingWeekends)})`;
  const remaining = sql`least(inv.row_min, case when inv.n_rows < ${n} then rt.unit_count end)`;
  return sql`select rt.id as room_type_id, ${unitTotal} as unit_total, ${remaining} as remaining
      from room_types rt
      cross join lateral (
        select count(*) filter (where i.night < ${co}) as n_rows,
          count(*) filter (where i.night < ${co} and ${isWeekendNightSql(sql`i.night`)}) as n_weekend_rows,
          coalesce(sum(${nightPriceSql("rt", sql`i.night`, sql`i.price_override_minor`)}) filter (where i.night < ${co}), 0) as row_sum,
          min(i.units_total - i.units_held - i.units_booked) filter (where i.night < ${co}) as row_min,
          coalesce(bool_or(i.night = ${ci} and (i.closed_to_arrival or i.min_stay_nights > ${n})), false) as arrival_blocked,
          coalesce(bool_or(i.night = ${co} and i.closed_to_departure), false) as departure_blocked
        from inventory i
        where i.room_type_id = rt.id and i.night >= ${ci} and i.night <= ${co}
      ) inv
      where rt.property_id = ${c}.id and ${fits} ${amenities}
        and not inv.arrival_blocked and not inv.departure_blocked
        and ${remaining} >= ${q.units}::int
        ${nightlyPriceFilterSql(q, sql`floor(${unitTotal} / ${n})`)}
      order by unit_total, room_type_id limit 1`;
}

/** The party fits room type `rt` (a table alias) in `q.units` units. */
export function fitsSql(q: SearchQuery, rt: string): SQL {
  const r = sql.raw(rt);
  return sql`${q.adults}::int <= ${r}.max_adults * ${q.units}::int
    and ${q.adults + q.children}::int <= (${r}.max_adults + ${r}.max_children) * ${q.units}::int`;
}

/**
 * The request's nightly price filter (min and max nightly price) on an offer's `nightly` price:
 * the guest's limits, not the room types' stored price bounds (stay-bounds-sql.ts).
 */
function nightlyPriceFilterSql(q: SearchQuery, nightly: SQL): SQL {
  const parts: SQL[] = [];
  if (q.price?.minMinor !== undefined) parts.push(sql`and ${nightly} >= ${q.price.minMinor}::bigint`);
  if (q.price?.maxMinor !== undefined) parts.push(sql`and ${nightly} <= ${q.price.maxMinor}::bigint`);
  return sql.join(parts, sql` `);
}
