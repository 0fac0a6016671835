import { datesBetween, isoWeekday } from "./dates.js";
import type { Money } from "./money.js";

/**
 * ISO weekdays (Friday, Saturday) whose nights take a room type's weekend price: the night
 * starting on that date at the property, so a Friday-to-Sunday stay is two weekend nights.
 * SQL asks triphub_is_weekend_night() (migration 0011) instead; test/sql-functions.test.ts
 * checks that the two agree on every weekday.
 */
export const WEEKEND_WEEKDAYS: readonly number[] = [5, 6];

/** True when `night` (YYYY-MM-DD) is a Friday or Saturday night. */
export function isWeekendNight(night: string): boolean {
  return WEEKEND_WEEKDAYS.includes(isoWeekday(night));
}

/** How many of the nights from `checkIn` up to `checkOut` (exclusive) are weekday and weekend nights. */
export function nightKinds(checkIn: string, checkOut: string): { weekdays: number; weekends: number } {
  const nights = datesBetween(checkIn, checkOut);
  const weekends = nights.filter(isWeekendNight).length;
  return { weekdays: nights.length - weekends, weekends };
}

/** A room type's prices for nights the calendar does not override. */
export interface DefaultPrices {
  basePrice: Money;
  /** Friday and Saturday nights; undefined: the base price. */
  weekendPrice: Money | undefined;
}

/**
 * What one unit costs on `night`: the calendar's override when there is one, else the weekend
 * price on a weekend night when the room type has one, else the base price. Every price a
 * guest sees or pays in TypeScript comes from here; store/search/night-price-sql.ts is its SQL twin.
 */
export function nightPrice(overrideMinor: number | undefined, prices: DefaultPrices, night: string): Money {
  const weekend = prices.weekendPrice !== undefined && isWeekendNight(night) ? prices.weekendPrice : undefined;
  return { amountMinor: overrideMinor ?? (weekend ?? prices.basePrice).amountMinor, currency: prices.basePrice.currency };
}

/**
 * The least a night without an override can cost, the "from" price a listing shows: the base
 * price, or the weekend price when that is lower.
 */
export function fromPriceMinor(prices: DefaultPrices): number {
  return Math.min(prices.basePrice.amountMinor, prices.weekendPrice?.amountMinor ?? prices.basePrice.amountMinor);
}
