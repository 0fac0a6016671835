// The money-moving operations: each asks the provider and records the outcome through the
// decider, in the order that keeps the two consistent. The RPCs and the authorization expirer
// call these; neither talks to the provider itself.
import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { DomainError, notFound } from "@triphub/platform";
import type { Money } from "./domain/money.js";
import { decide, type Payment, type Refund, type RefundReason, type VoidReason } from "./domain/payment.js";
import type { PaymentProvider } from "./domain/provider.js";
import type { AuthorizationKey, AuthorizationKeys } from "./store/authorization-keys.js";
import type { CaptureIntents } from "./store/capture-intents.js";
import type { PaymentStore } from "./store/payment-store.js";

/** What AuthorizePayment asks for. */
export interface AuthorizeInput {
  reservationId: string;
  payerId: string;
  amount: Money;
  /** The provider's card token: hashed for the key, never stored or logged. */
  token: string;
  /** Empty: the reservation id. */
  idempotencyKey: string;
  description: string;
}

/** What RefundPayment asks for. */
export interface RefundInput {
  paymentId: string;
  amount: Money;
  reason: RefundReason;
  idempotencyKey: string;
  note: string;
}

/** What the operations need. */
export interface PaymentOperationsDeps {
  payments: PaymentStore;
  keys: AuthorizationKeys;
  intents: CaptureIntents;
  provider: PaymentProvider;
  now: () => Date;
  /** How long an authorization holds (default: the domain's 7 days). */
  authorizationValidityMs?: number;
  /** How often a duplicate AuthorizePayment looks whether the first one has finished. */
  keyPollMs?: number;
  /** How long a duplicate waits for the first one before it answers UNAVAILABLE. */
  keyWaitMs?: number;
  /** A pending claim older than this (by the injected clock) is taken to be abandoned. */
  staleClaimMs?: number;
  /** Failpoint for crash tests: SIGKILL the process once the provider captured, before it is recorded. */
  crashAfterProviderCapture?: boolean;
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** Whether a key's row was made by the same request (token compared by digest). */
const sameRequest = (row: AuthorizationKey, asked: Omit<AuthorizationKey, "state" | "paymentId" | "claimedAt" | "idempotencyKey">) =>
  row.reservationId === asked.reservationId &&
  row.payerId === asked.payerId &&
  row.amountMinor === asked.amountMinor &&
  row.currency === asked.currency &&
  row.tokenSha256 === asked.tokenSha256;

/** The operations of one service instance; see {@link createPaymentOperations}. */
export type PaymentOperations = ReturnType<typeof createPaymentOperations>;

/** Authorize, capture, void, refund and expire payments against `deps.provider`. */
export function createPaymentOperations(d: PaymentOperationsDeps) {
  const pollMs = d.keyPollMs ?? 20;
  const waitMs = d.keyWaitMs ?? 30_000;
  const staleMs = d.staleClaimMs ?? 5 * 60_000;

  async function found(paymentId: string): Promise<Payment> {
    const p = await d.payments.get(paymentId);
    if (!p) throw notFound("payment", paymentId);
    return p;
  }

  /**
   * Asks the provider to capture `amount` of the authorization and records its answer (the
   * intent is already recorded): a capture, or a refusal (CAPTURE_FAILED). The provider's
   * capture is safe to repeat for the same authorization (provider.ts), which is what makes
   * asking again after a lost answer safe.
   */
  async function captureAtProvider(current: Payment, amount: Money): Promise<Payment> {
    const paymentId = current.paymentId;
    const answer = await d.provider.capture(current.providerReference ?? "", amount);
    if (answer.outcome === "refused") {
      await d.intents.clear(paymentId);
      throw new DomainError("precondition", `the payment provider refused the capture: ${answer.message}`, { reason: "CAPTURE_FAILED" });
    }
    if (d.crashAfterProviderCapture) process.kill(process.pid, "SIGKILL");
    const command = { type: "Capture" as const, paymentId, amount };
    return (await d.payments.execute(paymentId, command, d.now(), (tx) => d.intents.clear(paymentId, tx))).payment;
  }

  /**
   * The payment, after settling a capture whose answer was lost: the provider is asked again and
   * its answer recorded before anything else happens to the payment, so a void or an expiry
   * never releases money the provider took. A refusal now just leaves the payment authorized.
   */
  async function settled(paymentId: string): Promise<Payment> {
    const current = await found(paymentId);
    const pending = await d.intents.pending(paymentId);
    if (!pending) return current;
    if (current.status !== "authorized") {
      await d.intents.clear(paymentId);
      return current;
    }
    try {
      return await captureAtProvider(current, pending);
    } catch (err) {
      if (err instanceof DomainError && err.details.reason === "CAPTURE_FAILED") return found(paymentId);
      throw err;
    }
  }

  /** The winner of a key's claim: asks the provider once, records the outcome, settles the key. */
  async function authorizeClaimed(input: AuthorizeInput, key: string, paymentId: string): Promise<Payment> {
    try {
      const outcome = await d.provider.authorize(input.token, input.amount);
      const { payment } = await d.payments.execute(
        paymentId,
        {
          type: "Authorize",
          paymentId,
          reservationId: input.reservationId,
          payerId: input.payerId,
          idempotencyKey: key,
          amount: input.amount,
          description: input.description,
          outcome,
          validityMs: d.authorizationValidityMs,
        },
        d.now(),
        (tx) => d.keys.settle(tx, key),
      );
      return payment;
    } catch (err) {
      // Nothing was recorded (an outage, a refusal of the request): the key is free again,
      // and a retry under it asks the provider afresh.
      await d.keys.release(key);
      throw err;
    }
  }

  return {
    /**
     * Reserves the amount once per idempotency key. The key is claimed before the provider is
     * asked, so of many concurrent identical calls exactly one asks; the others wait for its
     * outcome and return the same payment. The key with another request is ALREADY_EXISTS.
     */
    async authorize(input: AuthorizeInput, signal?: AbortSignal): Promise<Payment> {
      const key = input.idempotencyKey === "" ? input.reservationId : input.idempotencyKey;
      const asked = {
        reservationId: input.reservationId,
        payerId: input.payerId,
        amountMinor: input.amount.amountMinor,
        currency: input.amount.currency,
        tokenSha256: sha256(input.token),
      };
      const deadline = Date.now() + waitMs;
      for (;;) {
        const paymentId = randomUUID();
        const claim = await d.keys.claim({ idempotencyKey: key, paymentId, claimedAt: d.now(), ...asked });
        if (claim.claimed) return authorizeClaimed(input, key, paymentId);
        const row = claim.existing;
        if (!sameRequest(row, asked)) {
          throw new DomainError("already_exists", `idempotency key ${key} was used for a different authorization request`);
        }
        if (row.state === "done") return found(row.paymentId);
        if (row.claimedAt.getTime() < d.now().getTime() - staleMs && (await d.keys.dropStale(key, new Date(d.now().getTime() - staleMs)))) continue;
        if (Date.now() > deadline || signal?.aborted) {
          throw new DomainError("unavailable", `an authorization under idempotency key ${key} is still in progress; retry`);
        }
        await sleep(pollMs + Math.random() * pollMs);
      }
    },

    /**
     * Takes the authorized money (or `amount` of it); a retry after success returns the payment.
     * The intent is recorded before the provider is asked, so a capture whose answer is lost is
     * never mistaken for money not taken (see {@link settled}).
     */
    async capture(paymentId: string, amount: Money | undefined): Promise<Payment> {
      const current = await settled(paymentId);
      const command = { type: "Capture" as const, paymentId, amount };
      const planned = decide(command, current, d.now());
      const captured = planned.find((e) => e.type === "PaymentCaptured");
      if (captured === undefined) return current;
      await d.intents.record(paymentId, captured.amount, d.now());
      return captureAtProvider(current, captured.amount);
    },

    /** Releases an open authorization; voiding a released payment returns it unchanged. */
    async void(paymentId: string, reason: VoidReason): Promise<Payment> {
      const current = await settled(paymentId);
      const command = { type: "Void" as const, paymentId, reason };
      if (decide(command, current, d.now()).length === 0) return current;
      await d.provider.void(current.providerReference ?? "");
      return (await d.payments.execute(paymentId, command, d.now())).payment;
    },

    /**
     * Returns captured money. The refund is recorded PENDING first, so it counts against the
     * refundable rest before the provider is asked; the provider's answer then completes or
     * fails it. A retry under the key returns the refund; one still pending (an earlier call
     * never heard back) asks the provider again under the same refund id, which the provider
     * deduplicates.
     */
    async refund(input: RefundInput): Promise<{ payment: Payment; refund: Refund }> {
      await settled(input.paymentId);
      const { payment: requested } = await d.payments.execute(
        input.paymentId,
        { type: "Refund", refundId: randomUUID(), ...input },
        d.now(),
      );
      const refund = requested.refunds.find((r) => r.idempotencyKey === input.idempotencyKey);
      if (refund === undefined) throw new Error(`refund ${input.idempotencyKey} missing after it was requested`);
      if (refund.status !== "pending") return { payment: requested, refund };
      const answer = await d.provider.refund(requested.providerReference ?? "", refund.amount, refund.refundId);
      const { payment } = await d.payments.execute(
        input.paymentId,
        answer.outcome === "succeeded"
          ? { type: "CompleteRefund", paymentId: input.paymentId, refundId: refund.refundId }
          : { type: "FailRefund", paymentId: input.paymentId, refundId: refund.refundId, message: answer.message },
        d.now(),
      );
      const outcome = payment.refunds.find((r) => r.refundId === refund.refundId) ?? refund;
      return { payment, refund: outcome };
    },

    /**
     * Lapses an open authorization past its expiry and releases it at the provider. Recorded
     * first: the provider's hold lapses on its own too, so a failed void only frees the card a
     * little later. Returns the payment, and whether it expired now.
     */
    async expire(paymentId: string): Promise<{ payment: Payment; expired: boolean }> {
      await settled(paymentId);
      const { payment, changed } = await d.payments.execute(paymentId, { type: "Expire", paymentId }, d.now());
      if (changed && payment.providerReference !== undefined) await d.provider.void(payment.providerReference);
      return { payment, expired: changed };
    },
  };
}
