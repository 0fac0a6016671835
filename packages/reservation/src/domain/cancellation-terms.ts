// A reservation's cancellation terms: until when it cancels for free, whether its stay has
// begun, and what cancelling it refunds. The rules are accommodation's, shared through
// `@triphub/platform/stay-rules`; this applies them to what the reservation snapshotted.
import {
  type CancellationPolicy,
  localTimeToInstant,
  freeCancellationUntil as policyFreeUntil,
  type RefundRule,
  refundFor,
} from "@triphub/platform/stay-rules";
import { type Money, money } from "./money.js";
import type { CancellationActor, Reservation } from "./reservation.js";

/**
 * The part of a reservation its cancellation terms depend on (a whole `Reservation` will do):
 * the policy and price snapshotted when the rooms were held, and the property's check-in date,
 * time and time zone.
 */
export type StayTermsSnapshot = Pick<Reservation, "cancellationPolicy" | "price" | "checkIn" | "checkInTime" | "timeZone">;

/** A confirmed reservation's terms: the snapshot plus when it was confirmed. */
export type ConfirmedStaySnapshot = StayTermsSnapshot & Pick<Reservation, "confirmedAt">;

/** What a cancellation gives back, and which rule of the policy gave it. */
export interface CancellationRefund {
  /** In the reservation's currency; never more than was captured. */
  amount: Money;
  rule: RefundRule;
}

/**
 * The last instant a guest can cancel for a full refund, for a reservation confirmed at
 * `confirmedAt` (what `free_cancellation_until` shows), or undefined when there is none.
 */
export function freeCancellationUntil(snapshot: StayTermsSnapshot, confirmedAt: Date): Date | undefined {
  return policyFreeUntil(policyOf(snapshot), confirmedAt, checkInAt(snapshot));
}

/**
 * True once the check-in instant (check-in time on the check-in date in the property's time
 * zone) has been reached at `at`. Cancelling a stay that has begun is refused by the caller
 * (FAILED_PRECONDITION); `refundOnCancel` does not check it.
 */
export function stayHasBegun(snapshot: StayTermsSnapshot, at: Date): boolean {
  return at.getTime() >= checkInAt(snapshot).getTime();
}

/**
 * What cancelling a CONFIRMED reservation at `at` refunds, in minor units of the price's
 * currency. A guest gets what the snapshotted policy gives (the window edges belong to the
 * guest); a host or an admin cancellation refunds the whole price. "The first night" is the
 * first night's price for all units booked. A 50% refund rounds down to a whole minor unit: the
 * odd unit stays with the host. The result is then capped at `capturedMinor`, what the payment
 * actually captured (zero when nothing was: then nothing is refunded); the cap leaves `rule`
 * as the policy gave it.
 *
 * Throws (a bug in the caller, not the guest's mistake) when the snapshot lacks the price or
 * the confirm time, names no known policy, or `capturedMinor` is negative or not whole.
 */
export function refundOnCancel(
  snapshot: ConfirmedStaySnapshot,
  cancel: { actor: CancellationActor; at: Date; capturedMinor: bigint | number },
): CancellationRefund {
  const captured = BigInt(cancel.capturedMinor);
  if (captured < 0n) throw new Error(`captured amount ${captured} is negative`);
  if (snapshot.confirmedAt === undefined) throw new Error("a reservation that was never confirmed has no refund terms");
  const price = priceOf(snapshot);
  const r = refundFor(policyOf(snapshot), {
    totalMinor: price.totalMinor,
    firstNightMinor: price.firstNightMinor,
    bookedAt: snapshot.confirmedAt,
    cancelAt: cancel.at,
    checkInAt: checkInAt(snapshot),
    cancelledBy: cancel.actor,
  });
  const byPolicy = BigInt(r.refundMinor);
  const amountMinor = byPolicy < captured ? byPolicy : captured;
  return { amount: money(amountMinor, price.currency), rule: r.rule };
}

function checkInAt(s: StayTermsSnapshot): Date {
  // Same default as accommodation's offers: a property without a check-in time opens at midnight.
  return localTimeToInstant(s.checkIn, s.checkInTime || "00:00", s.timeZone);
}

function policyOf(s: StayTermsSnapshot): CancellationPolicy {
  if (s.cancellationPolicy === undefined) throw new Error("the reservation has no cancellation policy");
  return s.cancellationPolicy;
}

/**
 * The whole price and the first night for all units, as numbers for the shared rules. The
 * nightly prices in a StayPrice are for ONE unit (accommodation's `stayPrice`); amounts are
 * capped by the contract far below 2^53, so the conversion is exact, and checked anyway.
 */
function priceOf(s: StayTermsSnapshot): { totalMinor: number; firstNightMinor: number; currency: string } {
  const p = s.price;
  const first = p?.nights[0]?.price;
  if (p === undefined || first === undefined) throw new Error("the reservation has no price");
  return {
    totalMinor: safeNumber(p.total.amountMinor),
    firstNightMinor: safeNumber(first.amountMinor * BigInt(p.units)),
    currency: p.total.currency,
  };
}

function safeNumber(minor: bigint): number {
  const n = Number(minor);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`amount ${minor} is out of range`);
  return n;
}
