import type { Money } from "./money.js";
import type { DeclineCode, PaymentMethod } from "./payment.js";

/** What the provider said to an authorization. A refusal is an outcome, not an error. */
export type AuthorizationOutcome =
  | { outcome: "approved"; /** The provider's handle on the authorization. */ reference: string; method: PaymentMethod }
  | { outcome: "declined"; code: DeclineCode; /** Safe to show to the payer. */ message: string };

/** What the provider said to a capture: a refusal surfaces as FAILED_PRECONDITION CAPTURE_FAILED. */
export type CaptureOutcome = { outcome: "captured" } | { outcome: "refused"; message: string };

/** What the provider said to a refund: a refusal leaves the refund FAILED. */
export type RefundOutcome = { outcome: "succeeded" } | { outcome: "failed"; message: string };

/**
 * A card payment provider (the sandbox until a real one is configured). Card data never
 * crosses this boundary: callers hand over a token and get back at most the brand, last four
 * digits and expiry. Every method throws a `DomainError("unavailable")` when the provider
 * cannot be reached; the caller may retry with the same idempotency key.
 */
export interface PaymentProvider {
  /** Reserves `amount` on the card behind `token`. */
  authorize(token: string, amount: Money): Promise<AuthorizationOutcome>;
  /**
   * Takes `amount` (at most the authorized amount) of the authorization `reference`. Must be
   * safe to repeat: asking again after a capture whose answer was lost answers "captured" and
   * takes nothing more (real providers key it by the authorization or an idempotency key).
   */
  capture(reference: string, amount: Money): Promise<CaptureOutcome>;
  /** Releases the authorization `reference` without taking money. */
  void(reference: string): Promise<void>;
  /** Returns `amount` of the captured payment `reference`; `key` makes a retry return the same refund. */
  refund(reference: string, amount: Money, key: string): Promise<RefundOutcome>;
}
