import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { SearchQuery } from "../domain/search.js";
import { allOf, fitsSql } from "./search-filters-sql.js";

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

/** A unit's total at the cursor of a price sort, if the page has one. */
export const cursorTotal = (q: SearchQuery) => (q.after === undefined ? undefined : (q.sort === "price_desc" ? -1 : 1) * q.after.k1);

/**
 * Whether the property can still be on the page by its bounds: not beyond the page's last row
 * so far (`pageEnd`, a unit's total), nor wholly before the cursor. Ties may still enter by
 * id, so only a bound strictly beyond skips.
 */
export function reachesSql(q: SearchQuery, property: SQL, pageEnd: number | undefined): SQL {
  const b = stayBoundsSql(q, property);
  const desc = q.sort === "price_desc";
  // Cheapest first: its cheapest offer must be at most the page's end, and its dearest at least the cursor.
  const [toEnd, toCursor] = desc ? [b.highest, b.lowest] : [b.lowest, b.highest];
  const [endOp, cursorOp] = desc ? [sql.raw(">="), sql.raw("<=")] : [sql.raw("<="), sql.raw(">=")];
  const cursor = cursorTotal(q);
  const checks: SQL[] = [];
  if (pageEnd !== undefined) checks.push(sql`coalesce(${toEnd} ${endOp} ${pageEnd}::float8, true)`);
  if (cursor !== undefined) checks.push(sql`coalesce(${toCursor} ${cursorOp} ${cursor}::float8, true)`);
  return allOf(checks);
}
