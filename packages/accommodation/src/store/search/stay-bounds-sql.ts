import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { nightKinds } from "../../domain/night-price.js";
import { destinationKey, type SearchQuery } from "../../domain/search.js";
import { type DestinationMatch, fitsSql } from "./filters-sql.js";
import { defaultNightsSql, fromPriceSql } from "./night-price-sql.js";

/*
 * What the stored price bounds of room types (migrations 0005, 0007, 0008) say about a
 * property's offer for a stay: no weekday night in a room type costs a unit less than
 * weekday_floor_minor, no weekend night less than weekend_floor_minor, no night more than
 * price_ceiling_minor, and none more than its base or weekend price outside premium_nights.
 * The price sorts (floor-walk.ts, ranked-walk.ts) order their work by these and skip what
 * cannot make the page. Not the request's nightly price filter (filters-sql.ts).
 */

/**
 * Room types `rt` of listed properties at a named region or city (anywhere: all of them) that
 * take the party: what price sorts read from the room-type indexes by place (migrations 0005,
 * 0009). A room type the party cannot fit never offers, so it must not hold a bound down.
 */
export function roomTypesAtPlace(q: SearchQuery, match: DestinationMatch): SQL[] {
  const where: SQL[] = [sql`rt.place_listed`, fitsSql(q, "rt")];
  if (q.location.kind === "text") {
    const key = destinationKey(q.location.text);
    where.push(match === "region" ? sql`rt.place_region = ${key}` : sql`rt.place_city = ${key}`);
  }
  return where;
}

/**
 * The least a unit of room type `r` (an alias) can cost for the stay: its weekday and weekend
 * nights at their floors. Without dates an offer is the "from" price, which no floor exceeds.
 */
export function stayFloorSql(q: SearchQuery, r: string): SQL {
  const rt = sql.raw(r);
  const kinds = q.dates && nightKinds(q.dates.checkIn, q.dates.checkOut);
  return kinds === undefined
    ? sql`${rt}.price_floor_minor::float8`
    : sql`(${kinds.weekdays}::float8 * ${rt}.weekday_floor_minor + ${kinds.weekends}::float8 * ${rt}.weekend_floor_minor)`;
}

/**
 * The most a unit of room type `r` can cost for the stay: its base and weekend prices when the
 * stay touches none of its premium nights (an override there is at most the night's own rate),
 * else every night at its ceiling. Without dates, exactly its "from" price.
 */
export function stayCeilingSql(q: SearchQuery, r: string): SQL {
  const d = q.dates;
  if (d === undefined) return sql`${fromPriceSql(r)}::float8`;
  const { weekdays, weekends } = nightKinds(d.checkIn, d.checkOut);
  return sql`(case when ${sql.raw(r)}.premium_nights && daterange(${d.checkIn}::date, ${d.checkOut}::date)
    then ${d.nights}::float8 * ${sql.raw(r)}.price_ceiling_minor
    else ${defaultNightsSql(r, sql`${weekdays}::float8`, sql`${weekends}::float8`)} end)`;
}

/**
 * Bounds on what property `property` (an id expression) can offer this stay, a unit's total:
 * the least floor and the greatest ceiling of its fitting room types. Null when none fits.
 */
export function stayBoundsSql(q: SearchQuery, property: SQL): { lowest: SQL; highest: SQL } {
  const fits = fitsSql(q, "r");
  return {
    lowest: sql`(select min(${stayFloorSql(q, "r")})::float8 from room_types r where r.property_id = ${property} and ${fits})`,
    highest: sql`(select max(${stayCeilingSql(q, "r")})::float8 from room_types r where r.property_id = ${property} and ${fits})`,
  };
}

/** The bound a price sort orders properties by: the lowest cheapest first, the highest dearest first. */
export function sortBoundSql(q: SearchQuery, property: SQL): SQL {
  const b = stayBoundsSql(q, property);
  return q.sort === "price_desc" ? b.highest : b.lowest;
}

/**
 * Whether the property may still come after the cursor of a later page: undefined on a first
 * page. Cheapest first, its dearest possible offer must reach the cursor's total (dearest first,
 * its cheapest); ties may still follow by id, so only a bound strictly short of it fails.
 */
export function pastCursorSql(q: SearchQuery, property: SQL): SQL | undefined {
  if (q.after === undefined) return undefined;
  const b = stayBoundsSql(q, property);
  return q.sort === "price_desc"
    ? sql`coalesce(${b.lowest} <= ${-q.after.k1}::float8, true)`
    : sql`coalesce(${b.highest} >= ${q.after.k1}::float8, true)`;
}
