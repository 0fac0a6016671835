/**
 * Cancellation policies and their refund windows, exactly as `triphub.common.v1.
 * CancellationPolicy` documents them. "Check-in" is the property's check-in time on the
 * check-in date in the property's time zone (see `localTimeToInstant`).
 *
 * | policy         | refund                                                                  |
 * |----------------|-------------------------------------------------------------------------|
 * | flexible       | full until 24 h before check-in; later, all but the first night         |
 * | moderate       | full until 5 days before check-in; later, 50%                           |
 * | strict         | full within 48 h of booking if check-in is still >= 14 days away;       |
 * |                | otherwise 50% until 7 days before check-in; later, nothing              |
 * | non_refundable | nothing                                                                 |
 *
 * A window's edge belongs to the better side: cancelling exactly 24 h before check-in under
 * flexible refunds in full. Halves round down to a whole minor unit (the odd unit stays with
 * the host). A cancellation by the host or an admin always refunds in full.
 */
export const CANCELLATION_POLICIES = ["flexible", "moderate", "strict", "non_refundable"] as const;
/** One policy from {@link CANCELLATION_POLICIES}. */
export type CancellationPolicy = (typeof CANCELLATION_POLICIES)[number];

/** True when `value` names a policy; narrows strings read from storage. */
export function isCancellationPolicy(value: string): value is CancellationPolicy {
  return (CANCELLATION_POLICIES as readonly string[]).includes(value);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What a refund is computed from: the stay's price and the relevant instants. */
export interface RefundCase {
  /** The whole stay, all units, in minor units. */
  totalMinor: number;
  /** The first night for all units: what flexible keeps after its free window. */
  firstNightMinor: number;
  /** When the reservation was confirmed (strict's 48-hour grace runs from it). */
  bookedAt: Date;
  cancelAt: Date;
  checkInAt: Date;
  /** Host and admin cancellations refund in full whatever the policy. */
  cancelledBy: "guest" | "host" | "admin";
}

/** Which rule of the policy applied. */
export type RefundRule = "full" | "all_but_first_night" | "half" | "none" | "cancelled_by_host" | "cancelled_by_admin";

/** The amount to refund and the rule that gave it. */
export interface Refund {
  refundMinor: number;
  rule: RefundRule;
}

function refund(c: RefundCase, rule: RefundRule): Refund {
  switch (rule) {
    case "full":
    case "cancelled_by_host":
    case "cancelled_by_admin":
      return { refundMinor: c.totalMinor, rule };
    case "all_but_first_night":
      return { refundMinor: Math.max(0, c.totalMinor - c.firstNightMinor), rule };
    case "half":
      return { refundMinor: Math.floor(c.totalMinor / 2), rule };
    case "none":
      return { refundMinor: 0, rule };
    default: {
      const _x: never = rule;
      throw new Error(`unknown refund rule ${String(_x)}`);
    }
  }
}

function ruleFor(policy: CancellationPolicy, c: RefundCase): RefundRule {
  const beforeCheckIn = c.checkInAt.getTime() - c.cancelAt.getTime();
  switch (policy) {
    case "flexible":
      return beforeCheckIn >= DAY ? "full" : "all_but_first_night";
    case "moderate":
      return beforeCheckIn >= 5 * DAY ? "full" : "half";
    case "strict": {
      const sinceBooking = c.cancelAt.getTime() - c.bookedAt.getTime();
      if (sinceBooking <= 48 * HOUR && beforeCheckIn >= 14 * DAY) return "full";
      return beforeCheckIn >= 7 * DAY ? "half" : "none";
    }
    case "non_refundable":
      return "none";
    default: {
      const _x: never = policy;
      throw new Error(`unknown cancellation policy ${String(_x)}`);
    }
  }
}

/** How much of a confirmed stay's price goes back to the guest on cancelling at `cancelAt`. */
export function refundFor(policy: CancellationPolicy, c: RefundCase): Refund {
  switch (c.cancelledBy) {
    case "host":
      return refund(c, "cancelled_by_host");
    case "admin":
      return refund(c, "cancelled_by_admin");
    case "guest":
      return refund(c, ruleFor(policy, c));
    default: {
      const _x: never = c.cancelledBy;
      throw new Error(`unknown canceller ${String(_x)}`);
    }
  }
}

/**
 * The last instant a guest booking at `bookedAt` can cancel for a full refund, or undefined
 * when there is none (non_refundable; strict with check-in under 14 days away; any policy
 * whose free window has already closed at `bookedAt`). Search shows it as
 * `free_cancellation_until`.
 */
export function freeCancellationUntil(policy: CancellationPolicy, bookedAt: Date, checkInAt: Date): Date | undefined {
  const until = freeUntilMs(policy, bookedAt.getTime(), checkInAt.getTime());
  return until !== undefined && until >= bookedAt.getTime() ? new Date(until) : undefined;
}

function freeUntilMs(policy: CancellationPolicy, bookedAt: number, checkIn: number): number | undefined {
  switch (policy) {
    case "flexible":
      return checkIn - DAY;
    case "moderate":
      return checkIn - 5 * DAY;
    case "strict":
      return Math.min(bookedAt + 48 * HOUR, checkIn - 14 * DAY);
    case "non_refundable":
      return undefined;
    default: {
      const _x: never = policy;
      throw new Error(`unknown cancellation policy ${String(_x)}`);
    }
  }
}
