import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { nightKinds } from "../domain/night-price.js";
import type { SearchQuery } from "../domain/search.js";
import { fitsSql } from "./search-filters-sql.js";

/*
 * What the stored price bounds of room types (migrations 0005, 0007) say about a property's
 * offer for a stay: no weekday night in a room type costs a unit less than weekday_floor_minor,
 * no weekend night less than weekend_floor_minor, and no night more than price_ceiling_minor.
 * The price sorts (search-price-walk.ts, search-price-sql.ts) order their work by these and
 * skip what cannot make the page.
 */

/**
 * Bounds on what property `property` (an id expression) can offer this stay, a unit's total:
 * the least of its fitting room types' floors over the stay's nights (or nights times the
 * greatest ceiling). Null when none fits. Without dates an offer is the "from" price, which no
 * floor exceeds.
 */
export function stayBoundsSql(q: SearchQuery, property: SQL): { lowest: SQL; highest: SQL } {
  const fits = fitsSql(q, "r");
  const d = q.dates;
  const kinds = d && nightKinds(d.checkIn, d.checkOut);
  const floor =
    kinds === undefined
      ? sql`r.price_floor_minor::float8`
      : sql`(${kinds.weekdays}::float8 * r.weekday_floor_minor + ${kinds.weekends}::float8 * r.weekend_floor_minor)`;
  return {
    lowest: sql`(select min(${floor})::float8 from room_types r where r.property_id = ${property} and ${fits})`,
    highest: sql`(select max(r.price_ceiling_minor)::float8 * ${q.dates?.nights ?? 1}::float8 from room_types r
      where r.property_id = ${property} and ${fits})`,
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
