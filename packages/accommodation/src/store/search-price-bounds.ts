import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery } from "../domain/search.js";
import { fitsSql } from "./search-filters-sql.js";

/*
 * What the stored price bounds of room types (migration 0005) say about a property's offer for
 * a stay: no stay in a room type costs a unit less than nights x price_floor_minor or more than
 * nights x price_ceiling_minor. The price sorts (search-price-walk.ts, search-price-sql.ts)
 * order their work by these and skip what cannot make the page.
 */

/**
 * Bounds on what property `property` (an id expression) can offer this stay, a unit's total:
 * nights times the least floor (or the greatest ceiling) of its room types that fit the party.
 * Null when none fits.
 */
export function stayBoundsSql(q: SearchQuery, property: SQL): { lowest: SQL; highest: SQL } {
  const nights = q.dates?.nights ?? 1;
  const bound = (agg: "min" | "max", column: string) =>
    sql`(select ${sql.raw(agg)}(r.${sql.raw(column)})::float8 * ${nights}::float8 from room_types r
      where r.property_id = ${property} and ${fitsSql(q, "r")})`;
  return { lowest: bound("min", "price_floor_minor"), highest: bound("max", "price_ceiling_minor") };
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
