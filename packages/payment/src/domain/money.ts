/**
 * An amount of money in integer minor units of an ISO 4217 currency (cents for USD, won for
 * KRW). A `bigint`, as the contract's int64 is: a payment is a sum of a whole stay, and sums of
 * captures and refunds must stay exact whatever their size.
 */
export interface Money {
  amountMinor: bigint;
  /** ISO 4217 alphabetic code, upper case. */
  currency: string;
}

/** Nothing, in `currency`. */
export const zero = (currency: string): Money => ({ amountMinor: 0n, currency });

/** `a + b`; both must be in the same currency (the caller checks, this guards). */
export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(`cannot add ${b.currency} to ${a.currency}`);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

/** True when both are the same amount of the same currency. */
export const sameMoney = (a: Money, b: Money) => a.amountMinor === b.amountMinor && a.currency === b.currency;

/** "12345 KRW", for error messages. */
export const formatMoney = (m: Money) => `${m.amountMinor} ${m.currency}`;
