import { describe, expect, it } from "vitest";
import { AUTHORIZATION_VALIDITY_MS, decide, evolve, refundable, replay } from "../src/domain/payment.js";
import type { Payment, PaymentCommand, PaymentStatus } from "../src/domain/payment.js";
import {
  at,
  authorize,
  capture,
  complete,
  declinedAuthorize,
  expire,
  fail,
  krw,
  lapse,
  PAYMENT_ID,
  paymentAfter,
  refund,
  run,
  t0,
  thrown,
  voidIt,
} from "./domain-fixtures.js";

const authorized = paymentAfter(authorize());
const declined = paymentAfter(declinedAuthorize());
const voided = paymentAfter(authorize(), voidIt());
const captured = paymentAfter(authorize(), capture());
const capturedPart = paymentAfter(authorize(), capture(60_000n));
const pendingRefund = paymentAfter(authorize(), capture(), refund(1, 30_000n));
const partiallyRefunded = paymentAfter(authorize(), capture(), refund(1, 30_000n), complete(1));
const refunded = paymentAfter(authorize(), capture(), refund(1, 100_000n), complete(1));
const expiredPayment = replay(decide(expire(), authorized, lapse), authorized) as Payment;

const statuses: [string, Payment, PaymentStatus][] = [
  ["authorized", authorized, "authorized"],
  ["declined", declined, "declined"],
  ["voided", voided, "voided"],
  ["captured", captured, "captured"],
  ["partially refunded", partiallyRefunded, "partially_refunded"],
  ["refunded", refunded, "refunded"],
  ["expired", expiredPayment, "expired"],
];

describe("payment fixtures", () => {
  it.each(statuses)("a %s payment has that status", (_n, p, status) => {
    expect(p.status).toBe(status);
  });
});

describe("legal transitions", () => {
  it.each<[string, Payment | undefined, PaymentCommand, Date, string[], Partial<Payment>]>([
    ["approved authorization", undefined, authorize(), t0, ["PaymentAuthorized"], { status: "authorized", amount: krw(100_000n) }],
    ["declined authorization", undefined, declinedAuthorize(), t0, ["PaymentDeclined"], { status: "declined", declineCode: "insufficient_funds" }],
    ["full capture", authorized, capture(), at(60), ["PaymentCaptured"], { status: "captured", capturedAmount: krw(100_000n), capturedAt: at(60) }],
    ["partial capture", authorized, capture(60_000n), at(60), ["PaymentCaptured"], { status: "captured", capturedAmount: krw(60_000n) }],
    ["capture of exactly the authorized amount", authorized, capture(100_000n), at(60), ["PaymentCaptured"], { capturedAmount: krw(100_000n) }],
    ["capture just before the authorization lapses", authorized, capture(), new Date(lapse.getTime() - 1), ["PaymentCaptured"], { status: "captured" }],
    ["void of an authorization", authorized, voidIt(), at(60), ["PaymentVoided"], { status: "voided", voidedAt: at(60) }],
    ["expiry at the expiry time", authorized, expire(), lapse, ["AuthorizationExpired"], { status: "expired" }],
    ["expiry after the expiry time", authorized, expire(), new Date(lapse.getTime() + 86_400_000), ["AuthorizationExpired"], { status: "expired" }],
    ["partial refund request", captured, refund(2, 30_000n), at(60), ["RefundRequested"], { status: "captured", refundedAmount: krw(0n) }],
    ["full refund request", captured, refund(2, 100_000n), at(60), ["RefundRequested"], { status: "captured" }],
    ["refund of a partial capture's whole amount", capturedPart, refund(2, 60_000n), at(60), ["RefundRequested"], { status: "captured" }],
    ["second refund of a partially refunded payment", partiallyRefunded, refund(2, 70_000n), at(60), ["RefundRequested"], { status: "partially_refunded" }],
    ["partial refund completes", pendingRefund, complete(1), at(60), ["PaymentRefunded"], { status: "partially_refunded", refundedAmount: krw(30_000n) }],
    ["refund fails", pendingRefund, fail(1), at(60), ["RefundFailed"], { status: "captured", refundedAmount: krw(0n) }],
  ])("%s", (_name, state, command, now, types, expected) => {
    const events = decide(command, state, now);
    expect(events.map((e) => e.type)).toEqual(types);
    expect(replay(events, state)).toMatchObject(expected);
  });

  it("an approved authorization keeps only the card's brand, last4 and expiry and lapses after the validity", () => {
    const p = paymentAfter(authorize());
    expect(p.paymentMethod).toEqual({ brand: "visa", last4: "4242", expMonth: 12, expYear: 2034 });
    expect(p.providerReference).toBe("sbx_ok_1");
    expect(p.authorizationExpiresAt).toEqual(new Date(t0.getTime() + AUTHORIZATION_VALIDITY_MS));
    expect(p).toMatchObject({ createdAt: t0, updatedAt: t0, capturedAmount: krw(0n), refundedAmount: krw(0n), refunds: [] });
  });

  it("an authorization lapses after the validity it is given, when one is", () => {
    const p = paymentAfter(authorize({ validityMs: 60_000 }));
    expect(p.authorizationExpiresAt).toEqual(new Date(t0.getTime() + 60_000));
  });

  it("a declined payment records why and holds no money", () => {
    expect(declined).toMatchObject({
      declineCode: "insufficient_funds",
      failureMessage: "The card has insufficient funds.",
      paymentMethod: undefined,
      providerReference: undefined,
      authorizationExpiresAt: undefined,
    });
  });

  it("a refund is pending until the provider answers, then settles with its completion time", () => {
    expect(pendingRefund.refunds).toEqual([
      expect.objectContaining({ refundId: "refund-1", status: "pending", amount: krw(30_000n), idempotencyKey: "key-1", completedAt: undefined }),
    ]);
    const failed = paymentAfter(authorize(), capture(), refund(1, 30_000n), fail(1));
    expect(failed.refunds[0]).toMatchObject({ status: "failed", failureMessage: "The provider refused the refund.", completedAt: at(3) });
    expect(partiallyRefunded.refunds[0]).toMatchObject({ status: "succeeded", completedAt: at(3) });
  });
});

describe("idempotent repeats decide nothing", () => {
  it.each<[string, Payment, PaymentCommand]>([
    ["authorize retried on an authorized payment", authorized, authorize()],
    ["authorize retried with another provider answer", authorized, declinedAuthorize()],
    ["authorize retried on a declined payment", declined, declinedAuthorize()],
    ["capture of a captured payment without an amount", captured, capture()],
    ["capture of a captured payment with the captured amount", captured, capture(100_000n)],
    ["capture of a partly captured payment with the captured amount", capturedPart, capture(60_000n)],
    ["capture of a partly captured payment without an amount", capturedPart, capture()],
    ["capture of a partially refunded payment", partiallyRefunded, capture()],
    ["capture of a refunded payment with the captured amount", refunded, capture(100_000n)],
    ["void of a voided payment", voided, voidIt()],
    ["void of a declined payment", declined, voidIt()],
    ["void of an expired payment", expiredPayment, voidIt()],
    ["expire of an expired payment", expiredPayment, expire()],
    ["refund retried while pending", pendingRefund, refund(1, 30_000n)],
    ["refund retried after it succeeded", partiallyRefunded, refund(1, 30_000n)],
    ["refund retried after it succeeded in full", refunded, refund(1, 100_000n)],
    ["refund retried after it failed", paymentAfter(authorize(), capture(), refund(1, 30_000n), fail(1)), refund(1, 30_000n)],
    ["completion of a succeeded refund", partiallyRefunded, complete(1)],
    ["failure of a failed refund", paymentAfter(authorize(), capture(), refund(1, 30_000n), fail(1)), fail(1)],
  ])("%s", (_name, state, command) => {
    expect(decide(command, state, lapse)).toEqual([]);
  });
});

describe("illegal moves", () => {
  it.each<[string, Payment | undefined, PaymentCommand, Date, string, RegExp]>([
    ["capture of a declined payment", declined, capture(), at(60), "precondition", /is declined and cannot be captured/],
    ["capture of a voided payment", voided, capture(), at(60), "precondition", /is voided and cannot be captured/],
    ["capture of an expired payment", expiredPayment, capture(), lapse, "precondition", /is expired and cannot be captured/],
    ["capture of a lapsed authorization not yet swept", authorized, capture(), lapse, "precondition", /authorization has expired/],
    ["capture of a captured payment with another amount", captured, capture(50_000n), at(60), "precondition", /already captured \(100000 KRW\)/],
    ["capture of more than authorized", authorized, capture(100_001n), at(60), "invalid", /at most the authorized 100000 KRW/],
    ["capture in another currency", authorized, { type: "Capture", paymentId: PAYMENT_ID, amount: { amountMinor: 10n, currency: "USD" } }, at(60), "invalid", /currency KRW/],
    ["capture of nothing", authorized, capture(0n), at(60), "invalid", /more than zero/],
    ["void of a captured payment", captured, voidIt(), at(60), "precondition", /is captured: refund it instead/],
    ["void of a partially refunded payment", partiallyRefunded, voidIt(), at(60), "precondition", /refund it instead/],
    ["void of a refunded payment", refunded, voidIt(), at(60), "precondition", /refund it instead/],
    ["expire before the expiry time", authorized, expire(), new Date(lapse.getTime() - 1), "precondition", /still valid/],
    ["expire of a captured payment", captured, expire(), lapse, "precondition", /is captured, not an open authorization/],
    ["expire of a voided payment", voided, expire(), lapse, "precondition", /is voided, not an open authorization/],
    ["expire of a declined payment", declined, expire(), lapse, "precondition", /is declined/],
    ["refund of an authorized payment", authorized, refund(1, 10n), at(60), "precondition", /is authorized; only captured money/],
    ["refund of a declined payment", declined, refund(1, 10n), at(60), "precondition", /is declined; only captured money/],
    ["refund of a voided payment", voided, refund(1, 10n), at(60), "precondition", /is voided; only captured money/],
    ["refund of an expired payment", expiredPayment, refund(1, 10n), at(60), "precondition", /is expired/],
    ["new refund of a refunded payment", refunded, refund(2, 1n), at(60), "precondition", /is refunded; only captured money/],
    ["refund of more than captured", captured, refund(1, 100_001n), at(60), "precondition", /exceeds the 100000 KRW left to refund/],
    ["refund beyond a partial capture", capturedPart, refund(1, 60_001n), at(60), "precondition", /exceeds the 60000 KRW left/],
    ["refund beyond what earlier refunds left", partiallyRefunded, refund(2, 70_001n), at(60), "precondition", /exceeds the 70000 KRW left/],
    ["refund beyond what a pending refund leaves", pendingRefund, refund(2, 70_001n), at(60), "precondition", /exceeds the 70000 KRW left/],
    ["refund in another currency", captured, refund(1, 10n, { amount: { amountMinor: 10n, currency: "USD" } }), at(60), "invalid", /currency KRW/],
    ["refund key reused with another amount", pendingRefund, refund(1, 20_000n), at(60), "already_exists", /refund key key-1/],
    ["refund key reused with another reason", pendingRefund, refund(1, 30_000n, { reason: "goodwill" }), at(60), "already_exists", /refund key key-1/],
    ["completion of an unknown refund", captured, complete(9), at(60), "not_found", /refund refund-9 not found/],
    ["completion of a failed refund", paymentAfter(authorize(), capture(), refund(1, 1n), fail(1)), complete(1), at(60), "precondition", /already failed/],
    ["failure of a succeeded refund", partiallyRefunded, fail(1), at(60), "precondition", /already succeeded/],
    ["authorize key reused with another amount", authorized, authorize({ amount: krw(1n) }), at(60), "already_exists", /different authorization/],
    ["authorize key reused for another reservation", authorized, authorize({ reservationId: "other" }), at(60), "already_exists", /different authorization/],
    ["authorize key reused by another payer", declined, authorize({ payerId: "other" }), at(60), "already_exists", /different authorization/],
    ["authorize of nothing", undefined, authorize({ amount: krw(0n) }), at(60), "invalid", /more than zero/],
    ["capture of no payment", undefined, capture(), at(60), "not_found", new RegExp(`payment ${PAYMENT_ID} not found`)],
    ["void of no payment", undefined, voidIt(), at(60), "not_found", /not found/],
    ["refund of no payment", undefined, refund(1, 1n), at(60), "not_found", /not found/],
    ["expire of no payment", undefined, expire(), at(60), "not_found", /not found/],
  ])("%s is refused", (_name, state, command, now, kind, message) => {
    const err = thrown(() => decide(command, state, now));
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(message);
  });
});

describe("partial captures and refunds", () => {
  it("partial refunds add up to the captured amount, then the payment is refunded and refuses more", () => {
    const { state } = run([authorize(), capture(80_000n), refund(1, 30_000n), complete(1), refund(2, 25_000n), complete(2)]);
    expect(state).toMatchObject({ status: "partially_refunded", refundedAmount: krw(55_000n) });
    expect(refundable(state)).toEqual(krw(25_000n));
    expect(thrown(() => decide(refund(3, 25_001n), state, at(99))).kind).toBe("precondition");
    const last = run([refund(3, 25_000n), complete(3)], state).state;
    expect(last).toMatchObject({ status: "refunded", refundedAmount: krw(80_000n), capturedAmount: krw(80_000n) });
    expect(refundable(last)).toEqual(krw(0n));
    expect(thrown(() => decide(refund(4, 1n), last, at(99))).kind).toBe("precondition");
  });

  it("a failed refund gives its amount back to what may be refunded", () => {
    const { state } = run([authorize(), capture(), refund(1, 100_000n), fail(1)]);
    expect(refundable(state)).toEqual(krw(100_000n));
    expect(run([refund(2, 100_000n), complete(2)], state).state).toMatchObject({ status: "refunded", refundedAmount: krw(100_000n) });
  });

  it("pending refunds count against the rest, so two cannot both take the last of the money", () => {
    const { state } = run([authorize(), capture(), refund(1, 60_000n)]);
    expect(decide(refund(2, 40_000n), state, at(9))).toHaveLength(1);
    expect(thrown(() => decide(refund(2, 40_001n), state, at(9))).kind).toBe("precondition");
  });
});

describe("replay", () => {
  it.each<[string, PaymentCommand[]]>([
    ["authorize, capture, refunds (one failed), full refund", [authorize(), capture(), refund(1, 10_000n), fail(1), refund(2, 40_000n), complete(2), refund(3, 60_000n), complete(3)]],
    ["authorize, partial capture, partial refund", [authorize(), capture(70_000n), refund(1, 5_000n), complete(1)]],
    ["authorize, void, repeated void", [authorize(), voidIt(), voidIt()]],
    ["declined, void", [declinedAuthorize(), voidIt()]],
  ])("folding the decided events of %s reproduces the state", (_name, commands) => {
    const { state, events } = run(commands);
    expect(replay(events)).toEqual(state);
    // Folding in two halves is the same as folding once (what a snapshot plus the tail does).
    const half = Math.floor(events.length / 2);
    expect(replay(events.slice(half), replay(events.slice(0, half)))).toEqual(state);
  });

  it("an expired authorization replays to expired", () => {
    const events = [...decide(authorize(), undefined, t0)];
    const p = replay(events);
    events.push(...decide(expire(), p, lapse));
    expect(replay(events)).toMatchObject({ status: "expired", updatedAt: lapse });
  });

  it("an event before the payment's first event is a bug, not a state", () => {
    expect(() => evolve(undefined, { type: "PaymentVoided", at: t0, reason: "admin" })).toThrow(/before the payment's first event/);
  });
});
