// The payment's decider: `decide` turns a command into events (or refuses it), `evolve` folds
// an event into the state. Pure: no I/O, no clock (`now` is passed in); the provider has
// already been asked when a command carries its outcome.
import { DomainError, invalid, notFound } from "@triphub/platform/domain-error";
import { add, formatMoney, type Money, sameMoney, zero } from "./money.js";
import type { AuthorizationOutcome } from "./provider.js";

/** triphub.payment.v1.PaymentStatus, without UNSPECIFIED. */
export type PaymentStatus = "authorized" | "declined" | "voided" | "captured" | "partially_refunded" | "refunded" | "expired";

/** triphub.payment.v1.DeclineCode, without UNSPECIFIED. */
export type DeclineCode =
  | "generic_decline"
  | "insufficient_funds"
  | "expired_card"
  | "fraud_suspected"
  | "invalid_payment_method"
  | "currency_not_supported";

/** triphub.payment.v1.CardBrand, without UNSPECIFIED. */
export type CardBrand = "visa" | "mastercard" | "amex" | "jcb" | "unionpay" | "discover";

/** The card behind a token, as much as may be kept and shown. */
export interface PaymentMethod {
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
}

export type RefundReason = "guest_cancellation" | "host_cancellation" | "duplicate" | "goodwill" | "other";
export type RefundStatus = "pending" | "succeeded" | "failed";
export type VoidReason = "reservation_failed" | "reservation_cancelled" | "admin";

/** Money returned (or being returned) from a captured payment. */
export interface Refund {
  refundId: string;
  amount: Money;
  reason: RefundReason;
  status: RefundStatus;
  idempotencyKey: string;
  note: string;
  /** Why a failed refund failed. */
  failureMessage: string | undefined;
  createdAt: Date;
  /** When it succeeded or failed. */
  completedAt: Date | undefined;
}

/** A payment as its events leave it (the read model's content). */
export interface Payment {
  paymentId: string;
  reservationId: string;
  payerId: string;
  idempotencyKey: string;
  status: PaymentStatus;
  /** The authorized (or, when declined, the requested) amount. */
  amount: Money;
  /** Zero until captured. */
  capturedAmount: Money;
  /** Sum of succeeded refunds. */
  refundedAmount: Money;
  /** Unknown when declined. */
  paymentMethod: PaymentMethod | undefined;
  declineCode: DeclineCode | undefined;
  failureMessage: string | undefined;
  /** In the order they were requested. */
  refunds: Refund[];
  description: string;
  providerReference: string | undefined;
  createdAt: Date;
  updatedAt: Date;
  /** When an uncaptured authorization lapses; unset when declined. */
  authorizationExpiresAt: Date | undefined;
  capturedAt: Date | undefined;
  voidedAt: Date | undefined;
}

/** A payment's state: nothing before its first event. */
export type PaymentState = Payment | undefined;

/**
 * How long an uncaptured authorization holds: 7 days, what card networks commonly guarantee.
 * The booking saga captures within minutes; this bounds a saga that died in between.
 */
export const AUTHORIZATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

// --- commands ----------------------------------------------------------------------------

/** Record an authorization whose provider outcome is already known. */
export interface Authorize {
  type: "Authorize";
  paymentId: string;
  reservationId: string;
  payerId: string;
  idempotencyKey: string;
  amount: Money;
  description: string;
  outcome: AuthorizationOutcome;
  /** How long the authorization holds before it lapses; {@link AUTHORIZATION_VALIDITY_MS} when unset. */
  validityMs?: number | undefined;
}

/** Take the authorized money: all of it, or `amount` (the rest of the authorization is released). */
export interface Capture {
  type: "Capture";
  paymentId: string;
  amount?: Money | undefined;
}

/** Release the authorization without taking money. */
export interface Void {
  type: "Void";
  paymentId: string;
  reason: VoidReason;
}

/** Start returning `amount` of the captured money; the provider is asked after it is recorded. */
export interface RequestRefund {
  type: "Refund";
  paymentId: string;
  refundId: string;
  amount: Money;
  reason: RefundReason;
  idempotencyKey: string;
  note: string;
}

/** The provider returned a pending refund's money. */
export interface CompleteRefund {
  type: "CompleteRefund";
  paymentId: string;
  refundId: string;
}

/** The provider refused a pending refund. */
export interface FailRefund {
  type: "FailRefund";
  paymentId: string;
  refundId: string;
  message: string;
}

/** Lapse an uncaptured authorization past its expiry (the sweeper's command). */
export interface Expire {
  type: "Expire";
  paymentId: string;
}

export type PaymentCommand = Authorize | Capture | Void | RequestRefund | CompleteRefund | FailRefund | Expire;

// --- events (named as in events.proto, plus RefundRequested; commands are imperative so
// the two never share a name) ------------------------------

export interface PaymentAuthorized {
  type: "PaymentAuthorized";
  at: Date;
  paymentId: string;
  reservationId: string;
  payerId: string;
  idempotencyKey: string;
  amount: Money;
  description: string;
  providerReference: string;
  paymentMethod: PaymentMethod;
  authorizationExpiresAt: Date;
}

export interface PaymentDeclined {
  type: "PaymentDeclined";
  at: Date;
  paymentId: string;
  reservationId: string;
  payerId: string;
  idempotencyKey: string;
  amount: Money;
  description: string;
  declineCode: DeclineCode;
  failureMessage: string;
}

export interface PaymentCaptured {
  type: "PaymentCaptured";
  at: Date;
  amount: Money;
}

export interface PaymentVoided {
  type: "PaymentVoided";
  at: Date;
  reason: VoidReason;
}

export interface AuthorizationExpired {
  type: "AuthorizationExpired";
  at: Date;
}

/**
 * A refund was recorded as pending before the provider is asked, so its amount counts
 * against the refundable rest while the provider works (two concurrent refunds cannot both
 * take the last of the money). Not in events.proto yet: it needs an additive message there.
 */
export interface RefundRequested {
  type: "RefundRequested";
  at: Date;
  refundId: string;
  amount: Money;
  reason: RefundReason;
  idempotencyKey: string;
  note: string;
}

export interface PaymentRefunded {
  type: "PaymentRefunded";
  at: Date;
  refundId: string;
}

export interface RefundFailed {
  type: "RefundFailed";
  at: Date;
  refundId: string;
  message: string;
}

export type PaymentEvent =
  | PaymentAuthorized
  | PaymentDeclined
  | PaymentCaptured
  | PaymentVoided
  | AuthorizationExpired
  | RefundRequested
  | PaymentRefunded
  | RefundFailed;

// --- decide --------------------------------------------------------------------------------

const CAPTURED_STATES: readonly PaymentStatus[] = ["captured", "partially_refunded", "refunded"];
const RELEASED_STATES: readonly PaymentStatus[] = ["voided", "declined", "expired"];

const precondition = (message: string, reason?: string) =>
  new DomainError("precondition", message, reason === undefined ? {} : { reason });

/**
 * The events `command` causes on `state` at `now`: empty when it repeats what already happened
 * (an idempotent retry). Throws a `DomainError` when the move is not allowed.
 */
export function decide(command: PaymentCommand, state: PaymentState, now: Date): PaymentEvent[] {
  if (command.type === "Authorize") return decideAuthorize(command, state, now);
  if (state === undefined) throw notFound("payment", command.paymentId);
  switch (command.type) {
    case "Capture":
      return decideCapture(command, state, now);
    case "Void":
      return decideVoid(command, state, now);
    case "Refund":
      return decideRefund(command, state, now);
    case "CompleteRefund":
      return decideRefundOutcome(state, command.refundId, "succeeded", () => [
        { type: "PaymentRefunded", at: now, refundId: command.refundId },
      ]);
    case "FailRefund":
      return decideRefundOutcome(state, command.refundId, "failed", () => [
        { type: "RefundFailed", at: now, refundId: command.refundId, message: command.message },
      ]);
    case "Expire":
      return decideExpire(state, now);
  }
}

function decideAuthorize(c: Authorize, state: PaymentState, now: Date): PaymentEvent[] {
  if (state !== undefined) {
    // A retry under the same key returns the payment whatever its outcome; the provider's
    // answer to the retry is ignored (the handler should not even ask it).
    const same =
      state.idempotencyKey === c.idempotencyKey &&
      state.reservationId === c.reservationId &&
      state.payerId === c.payerId &&
      sameMoney(state.amount, c.amount);
    if (same) return [];
    throw new DomainError("already_exists", `idempotency key ${c.idempotencyKey} was used for a different authorization`);
  }
  if (c.amount.amountMinor <= 0n) throw invalid("amount.amount_minor", "must be more than zero");
  const common = {
    at: now,
    paymentId: c.paymentId,
    reservationId: c.reservationId,
    payerId: c.payerId,
    idempotencyKey: c.idempotencyKey,
    amount: c.amount,
    description: c.description,
  };
  if (c.outcome.outcome === "declined") {
    return [{ type: "PaymentDeclined", ...common, declineCode: c.outcome.code, failureMessage: c.outcome.message }];
  }
  return [
    {
      type: "PaymentAuthorized",
      ...common,
      providerReference: c.outcome.reference,
      paymentMethod: c.outcome.method,
      authorizationExpiresAt: new Date(now.getTime() + (c.validityMs ?? AUTHORIZATION_VALIDITY_MS)),
    },
  ];
}

function decideCapture(c: Capture, p: Payment, now: Date): PaymentEvent[] {
  if (c.amount !== undefined) {
    if (c.amount.currency !== p.amount.currency) throw invalid("amount.currency", `must be the payment's currency ${p.amount.currency}`);
    if (c.amount.amountMinor <= 0n) throw invalid("amount.amount_minor", "must be more than zero when given");
  }
  if (CAPTURED_STATES.includes(p.status)) {
    // Capturing again is a retry when it asks for what was taken (or for "all", which was
    // answered the first time); a different amount is a second capture, which cards do not do.
    if (c.amount === undefined || sameMoney(c.amount, p.capturedAmount)) return [];
    throw precondition(`payment ${p.paymentId} is already captured (${formatMoney(p.capturedAmount)})`);
  }
  if (p.status !== "authorized") throw precondition(`payment ${p.paymentId} is ${p.status} and cannot be captured`);
  if (isLapsed(p, now)) throw precondition(`payment ${p.paymentId}'s authorization has expired`);
  const amount = c.amount ?? p.amount;
  if (amount.amountMinor > p.amount.amountMinor) {
    throw invalid("amount.amount_minor", `must be at most the authorized ${formatMoney(p.amount)}`);
  }
  return [{ type: "PaymentCaptured", at: now, amount }];
}

function decideVoid(c: Void, p: Payment, now: Date): PaymentEvent[] {
  if (RELEASED_STATES.includes(p.status)) return [];
  if (p.status !== "authorized") throw precondition(`payment ${p.paymentId} is ${p.status}: refund it instead of voiding`);
  return [{ type: "PaymentVoided", at: now, reason: c.reason }];
}

function decideExpire(p: Payment, now: Date): PaymentEvent[] {
  if (p.status === "expired") return [];
  if (p.status !== "authorized") throw precondition(`payment ${p.paymentId} is ${p.status}, not an open authorization`);
  if (!isLapsed(p, now)) throw precondition(`payment ${p.paymentId}'s authorization is still valid`);
  return [{ type: "AuthorizationExpired", at: now }];
}

function decideRefund(c: RequestRefund, p: Payment, now: Date): PaymentEvent[] {
  const earlier = p.refunds.find((r) => r.idempotencyKey === c.idempotencyKey);
  if (earlier !== undefined) {
    // A retry returns the same refund, whatever became of it; the key with another amount or
    // reason is a different request.
    if (sameMoney(earlier.amount, c.amount) && earlier.reason === c.reason) return [];
    throw new DomainError("already_exists", `refund key ${c.idempotencyKey} was used for a different refund`);
  }
  if (c.amount.currency !== p.amount.currency) throw invalid("amount.currency", `must be the payment's currency ${p.amount.currency}`);
  if (c.amount.amountMinor <= 0n) throw invalid("amount.amount_minor", "must be more than zero");
  if (p.status !== "captured" && p.status !== "partially_refunded") {
    throw precondition(`payment ${p.paymentId} is ${p.status}; only captured money can be refunded`);
  }
  const left = refundable(p);
  if (c.amount.amountMinor > left.amountMinor) {
    throw precondition(`refund of ${formatMoney(c.amount)} exceeds the ${formatMoney(left)} left to refund`);
  }
  return [
    {
      type: "RefundRequested",
      at: now,
      refundId: c.refundId,
      amount: c.amount,
      reason: c.reason,
      idempotencyKey: c.idempotencyKey,
      note: c.note,
    },
  ];
}

function decideRefundOutcome(p: Payment, refundId: string, to: "succeeded" | "failed", events: () => PaymentEvent[]): PaymentEvent[] {
  const refund = p.refunds.find((r) => r.refundId === refundId);
  if (refund === undefined) throw notFound("refund", refundId);
  if (refund.status === to) return [];
  if (refund.status !== "pending") throw precondition(`refund ${refundId} already ${refund.status}`);
  return events();
}

/** True once an authorization's hold has lapsed at `now`. */
const isLapsed = (p: Payment, now: Date) =>
  p.authorizationExpiresAt !== undefined && now.getTime() >= p.authorizationExpiresAt.getTime();

/** What may still be refunded: the captured amount less succeeded and pending refunds. */
export function refundable(p: Payment): Money {
  const committed = p.refunds
    .filter((r) => r.status !== "failed")
    .reduce((sum, r) => add(sum, r.amount), zero(p.capturedAmount.currency));
  return { amountMinor: p.capturedAmount.amountMinor - committed.amountMinor, currency: p.capturedAmount.currency };
}

// --- evolve --------------------------------------------------------------------------------

/** The state after `event`. Total over the events `decide` makes; anything else is a bug. */
export function evolve(state: PaymentState, event: PaymentEvent): PaymentState {
  if (event.type === "PaymentAuthorized" || event.type === "PaymentDeclined") {
    const base = {
      paymentId: event.paymentId,
      reservationId: event.reservationId,
      payerId: event.payerId,
      idempotencyKey: event.idempotencyKey,
      amount: event.amount,
      capturedAmount: zero(event.amount.currency),
      refundedAmount: zero(event.amount.currency),
      refunds: [],
      description: event.description,
      createdAt: event.at,
      updatedAt: event.at,
      capturedAt: undefined,
      voidedAt: undefined,
    };
    return event.type === "PaymentAuthorized"
      ? {
          ...base,
          status: "authorized",
          paymentMethod: event.paymentMethod,
          declineCode: undefined,
          failureMessage: undefined,
          providerReference: event.providerReference,
          authorizationExpiresAt: event.authorizationExpiresAt,
        }
      : {
          ...base,
          status: "declined",
          paymentMethod: undefined,
          declineCode: event.declineCode,
          failureMessage: event.failureMessage,
          providerReference: undefined,
          authorizationExpiresAt: undefined,
        };
  }
  if (state === undefined) throw new Error(`${event.type} before the payment's first event`);
  const p = { ...state, updatedAt: event.at };
  switch (event.type) {
    case "PaymentCaptured":
      return { ...p, status: "captured", capturedAmount: event.amount, capturedAt: event.at };
    case "PaymentVoided":
      return { ...p, status: "voided", voidedAt: event.at };
    case "AuthorizationExpired":
      return { ...p, status: "expired" };
    case "RefundRequested": {
      const { type: _t, at, ...r } = event;
      return { ...p, refunds: [...p.refunds, { ...r, status: "pending", failureMessage: undefined, createdAt: at, completedAt: undefined }] };
    }
    case "PaymentRefunded": {
      const refund = p.refunds.find((r) => r.refundId === event.refundId);
      if (refund === undefined) throw new Error(`PaymentRefunded of unknown refund ${event.refundId}`);
      const refundedAmount = add(p.refundedAmount, refund.amount);
      const status = refundedAmount.amountMinor >= p.capturedAmount.amountMinor ? "refunded" : "partially_refunded";
      return { ...p, status, refundedAmount, refunds: settle(p.refunds, event.refundId, { status: "succeeded", completedAt: event.at }) };
    }
    case "RefundFailed":
      return {
        ...p,
        refunds: settle(p.refunds, event.refundId, { status: "failed", failureMessage: event.message, completedAt: event.at }),
      };
  }
}

const settle = (refunds: Refund[], refundId: string, change: Partial<Refund>) =>
  refunds.map((r) => (r.refundId === refundId ? { ...r, ...change } : r));

/** Folds events from nothing: a stream's current state. */
export const replay = (events: readonly PaymentEvent[], from: PaymentState = undefined): PaymentState => events.reduce(evolve, from);
