// The built-in sandbox provider: behaves as the tokens table in payment_service.proto says.
// Stateless: an authorization's reference carries the token's behaviour, so capture and
// refund answer the same after a restart.
import { DomainError } from "@triphub/platform/domain-error";
import type { Money } from "./money.js";
import type { CardBrand, DeclineCode, PaymentMethod } from "./payment.js";
import type { AuthorizationOutcome, CaptureOutcome, PaymentProvider, RefundOutcome } from "./provider.js";

/** Test cards' last four digits (the well-known test numbers' endings). */
const CARDS: Record<"visa" | "mastercard" | "amex" | "jcb", string> = { visa: "4242", mastercard: "4444", amex: "8431", jcb: "0505" };
/** Every sandbox card expires at the end of this month, far enough out to never lapse in tests. */
const EXP_MONTH = 12;
const EXP_YEAR = 2034;

const card = (brand: keyof typeof CARDS): PaymentMethod => ({ brand, last4: CARDS[brand], expMonth: EXP_MONTH, expYear: EXP_YEAR });

/** What each token does; a token not listed here is declined INVALID_PAYMENT_METHOD. */
type Behaviour = { approve: CardBrand & keyof typeof CARDS; tag: string } | { decline: DeclineCode; message: string } | "unavailable";

const TOKENS: Record<string, Behaviour> = {
  tok_visa: { approve: "visa", tag: "ok" },
  tok_mastercard: { approve: "mastercard", tag: "ok" },
  tok_amex: { approve: "amex", tag: "ok" },
  tok_jcb: { approve: "jcb", tag: "ok" },
  tok_captureFails: { approve: "visa", tag: "capfail" },
  tok_refundFails: { approve: "visa", tag: "reffail" },
  tok_chargeDeclined: { decline: "generic_decline", message: "The card was declined." },
  tok_insufficientFunds: { decline: "insufficient_funds", message: "The card has insufficient funds." },
  tok_expiredCard: { decline: "expired_card", message: "The card has expired." },
  tok_fraudulent: { decline: "fraud_suspected", message: "The card was declined." },
  tok_providerUnavailable: "unavailable",
};

const unavailable = () => new DomainError("unavailable", "the payment provider is unavailable; retry later", { reason: "PROVIDER_UNAVAILABLE" });

/** A sandbox reference: "sbx_<behaviour tag>_<id>". */
const REFERENCE = /^sbx_(ok|capfail|reffail)_[A-Za-z0-9-]+$/;

/**
 * The sandbox provider. `newId` makes the unique part of each reference (a UUID in the
 * service; a counter in tests).
 */
export function createSandboxProvider(newId: () => string): PaymentProvider {
  const tagOf = (reference: string) => {
    const m = REFERENCE.exec(reference);
    if (m === null) throw new Error(`not a sandbox reference: ${reference}`);
    return m[1];
  };
  return {
    async authorize(token: string, _amount: Money): Promise<AuthorizationOutcome> {
      const b = Object.hasOwn(TOKENS, token) ? TOKENS[token] : undefined;
      if (b === "unavailable") throw unavailable();
      if (b === undefined) {
        return { outcome: "declined", code: "invalid_payment_method", message: "The payment method is not valid." };
      }
      if ("decline" in b) return { outcome: "declined", code: b.decline, message: b.message };
      return { outcome: "approved", reference: `sbx_${b.tag}_${newId()}`, method: card(b.approve) };
    },
    async capture(reference: string, _amount: Money): Promise<CaptureOutcome> {
      if (tagOf(reference) === "capfail") return { outcome: "refused", message: "The provider refused the capture." };
      return { outcome: "captured" };
    },
    async void(reference: string): Promise<void> {
      tagOf(reference);
    },
    async refund(reference: string, _amount: Money, _key: string): Promise<RefundOutcome> {
      if (tagOf(reference) === "reffail") return { outcome: "failed", message: "The provider refused the refund." };
      return { outcome: "succeeded" };
    },
  };
}
