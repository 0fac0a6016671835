import { DomainError } from "@triphub/platform/domain-error";
import type { Money } from "../src/domain/money.js";
import { AUTHORIZATION_VALIDITY_MS, decide, evolve } from "../src/domain/payment.js";
import type { Authorize, Payment, PaymentCommand, PaymentEvent, PaymentState, RequestRefund } from "../src/domain/payment.js";

/** The tests' clock origin. */
export const t0 = new Date("2026-05-01T09:00:00.000Z");
/** `t0` plus `seconds`. */
export const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
/** The instant the authorization made at `t0` lapses. */
export const lapse = new Date(t0.getTime() + AUTHORIZATION_VALIDITY_MS);

export const krw = (amountMinor: bigint): Money => ({ amountMinor, currency: "KRW" });
export const PAYMENT_ID = "0a8f4c1e-0000-4000-8000-000000000001";

/** An approved authorization of 100 000 KRW. */
export const authorize = (over: Partial<Authorize> = {}): Authorize => ({
  type: "Authorize",
  paymentId: PAYMENT_ID,
  reservationId: "0a8f4c1e-0000-4000-8000-000000000011",
  payerId: "0a8f4c1e-0000-4000-8000-000000000022",
  idempotencyKey: "0a8f4c1e-0000-4000-8000-000000000011",
  amount: krw(100_000n),
  description: "Bukchon Hanok Stay",
  outcome: { outcome: "approved", reference: "sbx_ok_1", method: { brand: "visa", last4: "4242", expMonth: 12, expYear: 2034 } },
  ...over,
});

export const declinedAuthorize = () =>
  authorize({ outcome: { outcome: "declined", code: "insufficient_funds", message: "The card has insufficient funds." } });

export const refund = (n: number, amount: bigint, over: Partial<RequestRefund> = {}): RequestRefund => ({
  type: "Refund",
  paymentId: PAYMENT_ID,
  refundId: `refund-${n}`,
  amount: krw(amount),
  reason: "guest_cancellation",
  idempotencyKey: `key-${n}`,
  note: "",
  ...over,
});

export const capture = (amount?: bigint): PaymentCommand => ({ type: "Capture", paymentId: PAYMENT_ID, amount: amount === undefined ? undefined : krw(amount) });
export const voidIt = (): PaymentCommand => ({ type: "Void", paymentId: PAYMENT_ID, reason: "reservation_failed" });
export const expire = (): PaymentCommand => ({ type: "Expire", paymentId: PAYMENT_ID });
export const complete = (n: number): PaymentCommand => ({ type: "CompleteRefund", paymentId: PAYMENT_ID, refundId: `refund-${n}` });
export const fail = (n: number): PaymentCommand => ({ type: "FailRefund", paymentId: PAYMENT_ID, refundId: `refund-${n}`, message: "The provider refused the refund." });

/** Decides and folds each command in turn (the n-th at `t0 + n` seconds); returns the state and every event. */
export function run(commands: PaymentCommand[], from: PaymentState = undefined): { state: Payment; events: PaymentEvent[] } {
  let state = from;
  const events: PaymentEvent[] = [];
  commands.forEach((c, i) => {
    const decided = decide(c, state, at(i));
    events.push(...decided);
    state = decided.reduce(evolve, state);
  });
  if (state === undefined) throw new Error("no payment after the commands");
  return { state, events };
}

/** The payment after `commands`. */
export const paymentAfter = (...commands: PaymentCommand[]) => run(commands).state;

/** The DomainError `fn` throws. */
export function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}
