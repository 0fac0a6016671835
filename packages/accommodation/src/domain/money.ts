/**
 * An amount of money in integer minor units of an ISO 4217 currency (cents for USD, won for
 * KRW). Never a float.
 *
 * `amountMinor` is a `number`, not a `bigint`: every amount is capped at
 * {@link MAX_NIGHTLY_PRICE_MINOR}, so the largest sum the service ever forms (30 nights x 10
 * units, or a year of nights in a calendar view) stays below 2^53 and plain arithmetic is
 * exact. A number also round-trips through JSON snapshots and drizzle's `bigint({ mode:
 * "number" })` without custom codecs; the service converts to the proto's int64 (`bigint`) at
 * the edge.
 */
export interface Money {
  amountMinor: number;
  /** ISO 4217 alphabetic code, upper case. */
  currency: string;
}

/**
 * The most one unit may cost for one night: 10^12 minor units (ten billion dollars, a
 * trillion won). The sums the service forms are bounded by a stay (at most 30 nights x 10
 * units x 10^12 = 3 x 10^14), far below `Number.MAX_SAFE_INTEGER` (about 9 x 10^15).
 */
export const MAX_NIGHTLY_PRICE_MINOR = 1_000_000_000_000;

/** True for a well-formed ISO 4217 code shape ("KRW", "USD"). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code);
}

/** True when `amountMinor` is a whole, non-negative amount no larger than the nightly cap. */
export function isNightlyAmount(amountMinor: number): boolean {
  return Number.isSafeInteger(amountMinor) && amountMinor >= 0 && amountMinor <= MAX_NIGHTLY_PRICE_MINOR;
}

/** Sums minor-unit amounts, failing loudly rather than silently losing precision. */
export function sumMinor(amounts: readonly number[]): number {
  const total = amounts.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(total)) throw new Error(`money sum ${total} is not a safe integer`);
  return total;
}
