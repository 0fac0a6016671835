import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";

/*
 * `nightPrice` (domain/night-price.ts) in SQL, for the statements that price nights without
 * loading them: a night's override, else the weekend price on a Friday or Saturday night when
 * the room type has one, else the base price. `rt` is a room_types alias throughout.
 */

/**
 * Whether `night` (a date expression) is a weekend night: the database's one copy of the rule
 * (triphub_is_weekend_night, migration 0011), which agrees with WEEKEND_WEEKDAYS
 * (test/sql-functions.test.ts). The planner inlines it.
 */
export const isWeekendNightSql = (night: SQL): SQL => sql`triphub_is_weekend_night(${night})`;

/** What a weekend night without an override costs in `rt`. */
const weekendRateSql = (rt: string): SQL => sql`coalesce(${sql.raw(rt)}.weekend_price_minor, ${sql.raw(rt)}.base_price_minor)`;

/** What night `night` costs a unit of `rt`, given its override (an expression, null for none). */
export function nightPriceSql(rt: string, night: SQL, override: SQL): SQL {
  return sql`coalesce(${override}, case when ${isWeekendNightSql(night)} then ${weekendRateSql(rt)} else ${sql.raw(rt)}.base_price_minor end)`;
}

/** What `weekdays` weekday and `weekends` weekend nights (counts) without an override cost a unit of `rt`. */
export function defaultNightsSql(rt: string, weekdays: SQL, weekends: SQL): SQL {
  return sql`(${weekdays} * ${sql.raw(rt)}.base_price_minor + ${weekends} * ${weekendRateSql(rt)})`;
}

/** The "from" price of `rt`, as `fromPriceMinor`: the lower of its base and weekend prices. */
export const fromPriceSql = (rt: string): SQL => sql`least(${sql.raw(rt)}.base_price_minor, ${sql.raw(rt)}.weekend_price_minor)`;
