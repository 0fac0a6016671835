/**
 * An amount of money in integer minor units of an ISO 4217 currency (cents for USD, won for
 * KRW), the same shape as the payment service's. A `bigint`, as the contract's int64 is: what
 * the saga compares and sums (captures, refunds) must stay exact.
 */
export interface Money {
  amountMinor: bigint;
  /** ISO 4217 alphabetic code, upper case; "" when not known yet (nothing priced). */
  currency: string;
}

/** `amountMinor` of `currency`. */
export const money = (amountMinor: bigint, currency: string): Money => ({ amountMinor, currency });

/** True when both are the same amount of the same currency. */
export const sameMoney = (a: Money, b: Money): boolean => a.amountMinor === b.amountMinor && a.currency === b.currency;

/** "12345 KRW", for messages. */
export const formatMoney = (m: Money): string => `${m.amountMinor} ${m.currency}`;
