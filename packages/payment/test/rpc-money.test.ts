// CapturePayment, VoidPayment and RefundPayment over real gRPC as the booking saga calls them.
import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { PaymentStatus, RefundReason, RefundStatus, VoidReason } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeRequest, krw, type Platform, rpcError, startPlatform } from "./rpc-harness.js";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform("payment_rpc_money");
});
afterAll(() => p?.close());

async function authorized(token = "tok_visa", amount = 150_000n) {
  const { payment } = await p.internal.authorizePayment(authorizeRequest(randomUUID(), token, amount));
  return payment!;
}
async function captured(token = "tok_visa", amount = 150_000n) {
  const { paymentId } = await authorized(token, amount);
  return (await p.internal.capturePayment({ paymentId })).payment!;
}
const refund = (paymentId: string, amount: bigint, key: string = randomUUID()) =>
  p.internal.refundPayment({ paymentId, amount: krw(amount), reason: RefundReason.GUEST_CANCELLATION, idempotencyKey: key });

describe("CapturePayment", () => {
  it("takes all of the authorized money, and a retry returns the captured payment without asking the provider", async () => {
    const { paymentId } = await authorized();
    const { payment } = await p.internal.capturePayment({ paymentId });
    expect(payment).toMatchObject({ status: PaymentStatus.CAPTURED, capturedAmount: krw(150_000n) });
    expect(payment?.captureTime).toBeDefined();
    const calls = p.calls.capture;
    expect((await p.internal.capturePayment({ paymentId })).payment).toEqual(payment);
    expect(p.calls.capture).toBe(calls);
  });

  it("takes a smaller amount when given", async () => {
    const { paymentId } = await authorized();
    const { payment } = await p.internal.capturePayment({ paymentId, amount: krw(100_000n) });
    expect(payment).toMatchObject({ status: PaymentStatus.CAPTURED, capturedAmount: krw(100_000n), amount: krw(150_000n) });
  });

  it("answers a provider refusal FAILED_PRECONDITION with the reason CAPTURE_FAILED, leaving the payment authorized", async () => {
    const { paymentId } = await authorized("tok_captureFails");
    const err = await rpcError(p.internal.capturePayment({ paymentId }));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(err.findDetails(ErrorInfoSchema)[0]?.reason).toBe("CAPTURE_FAILED");
    expect((await p.internal.getPayment({ paymentId })).payment?.status).toBe(PaymentStatus.AUTHORIZED);
  });

  it("refuses a declined or voided payment FAILED_PRECONDITION, and an unknown one NOT_FOUND", async () => {
    const declined = await authorized("tok_chargeDeclined");
    expect((await rpcError(p.internal.capturePayment({ paymentId: declined.paymentId }))).code).toBe(Code.FailedPrecondition);
    const { paymentId } = await authorized();
    await p.internal.voidPayment({ paymentId, reason: VoidReason.RESERVATION_FAILED });
    expect((await rpcError(p.internal.capturePayment({ paymentId }))).code).toBe(Code.FailedPrecondition);
    expect((await rpcError(p.internal.capturePayment({ paymentId: randomUUID() }))).code).toBe(Code.NotFound);
  });
});

describe("a capture whose answer was lost", () => {
  it("is settled before anything else happens to the payment: a void then finds it CAPTURED, never voids taken money", async () => {
    const { paymentId } = await authorized();
    p.faults.loseNextCaptureAnswer = true;
    expect((await rpcError(p.internal.capturePayment({ paymentId }))).code).toBe(Code.Unavailable);
    const voids = p.calls.void;
    const err = await rpcError(p.internal.voidPayment({ paymentId, reason: VoidReason.RESERVATION_FAILED }));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(p.calls.void).toBe(voids);
    const { payment } = await p.internal.getPayment({ paymentId });
    expect(payment).toMatchObject({ status: PaymentStatus.CAPTURED, capturedAmount: krw(150_000n) });
    // So the saga refunds it in full.
    const { refund: back } = await refund(paymentId, 150_000n);
    expect(back?.status).toBe(RefundStatus.SUCCEEDED);
  });

  it("is completed by the retried capture, which takes the money once", async () => {
    const { paymentId } = await authorized();
    p.faults.loseNextCaptureAnswer = true;
    await rpcError(p.internal.capturePayment({ paymentId }));
    const { payment } = await p.internal.capturePayment({ paymentId });
    expect(payment).toMatchObject({ status: PaymentStatus.CAPTURED, capturedAmount: krw(150_000n) });
    const { payment: again } = await p.internal.capturePayment({ paymentId });
    expect(again).toEqual(payment);
  });
});

describe("VoidPayment", () => {
  it("releases an authorization at the provider; voiding again, or a declined payment, changes nothing", async () => {
    const { paymentId } = await authorized();
    const calls = p.calls.void;
    const { payment } = await p.internal.voidPayment({ paymentId, reason: VoidReason.RESERVATION_FAILED });
    expect(payment).toMatchObject({ status: PaymentStatus.VOIDED, capturedAmount: krw(0n) });
    expect(payment?.voidTime).toBeDefined();
    expect((await p.internal.voidPayment({ paymentId, reason: VoidReason.RESERVATION_FAILED })).payment).toEqual(payment);
    const declined = await authorized("tok_insufficientFunds");
    expect((await p.internal.voidPayment({ paymentId: declined.paymentId, reason: VoidReason.ADMIN })).payment).toEqual(declined);
    expect(p.calls.void - calls).toBe(1);
  });

  it("refuses a captured payment FAILED_PRECONDITION: refund it instead", async () => {
    const { paymentId } = await captured();
    expect((await rpcError(p.internal.voidPayment({ paymentId, reason: VoidReason.RESERVATION_CANCELLED }))).code).toBe(Code.FailedPrecondition);
  });
});

describe("RefundPayment", () => {
  it("refunds in parts up to the captured amount, and refuses more FAILED_PRECONDITION", async () => {
    const { paymentId } = await captured();
    const first = await refund(paymentId, 50_000n);
    expect(first.refund).toMatchObject({ status: RefundStatus.SUCCEEDED, amount: krw(50_000n), reason: RefundReason.GUEST_CANCELLATION });
    expect(first.payment).toMatchObject({ status: PaymentStatus.PARTIALLY_REFUNDED, refundedAmount: krw(50_000n) });
    expect((await rpcError(refund(paymentId, 100_001n))).code).toBe(Code.FailedPrecondition);
    const rest = await refund(paymentId, 100_000n);
    expect(rest.payment).toMatchObject({ status: PaymentStatus.REFUNDED, refundedAmount: krw(150_000n) });
    expect(rest.payment?.refunds).toHaveLength(2);
    expect((await rpcError(refund(paymentId, 1n))).code).toBe(Code.FailedPrecondition);
  });

  it("returns the same refund for a retry under its key; the key with another amount is ALREADY_EXISTS", async () => {
    const { paymentId } = await captured();
    const key = `${randomUUID()}:cancel`;
    const first = await refund(paymentId, 20_000n, key);
    const calls = p.calls.refund;
    const again = await refund(paymentId, 20_000n, key);
    expect(again.refund).toEqual(first.refund);
    expect(again.payment?.refundedAmount).toMatchObject(krw(20_000n));
    expect(p.calls.refund).toBe(calls);
    expect((await rpcError(refund(paymentId, 30_000n, key))).code).toBe(Code.AlreadyExists);
  });

  it("answers a provider refusal with a FAILED refund, not an error, and the money stays refundable", async () => {
    const { paymentId } = await captured("tok_refundFails");
    const { refund: failed, payment } = await refund(paymentId, 150_000n);
    expect(failed).toMatchObject({ status: RefundStatus.FAILED });
    expect(failed?.failureMessage).not.toBe("");
    expect(payment).toMatchObject({ status: PaymentStatus.CAPTURED, refundedAmount: krw(0n) });
    // A failed refund does not count: the full amount may be asked again (and fails again here).
    expect((await refund(paymentId, 150_000n)).refund?.status).toBe(RefundStatus.FAILED);
  });

  it("refuses to refund an authorized (uncaptured) payment FAILED_PRECONDITION", async () => {
    const { paymentId } = await authorized();
    expect((await rpcError(refund(paymentId, 1_000n))).code).toBe(Code.FailedPrecondition);
  });

  it("never refunds more than was captured, however many refunds race", async () => {
    const { paymentId } = await captured("tok_visa", 100_000n);
    // 20 concurrent refunds of 15 000: at most 6 fit in 100 000.
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => refund(paymentId, 15_000n)));
    const ok = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [(o.reason as { code: Code }).code] : []));
    expect(ok).toHaveLength(6);
    expect(new Set(refused)).toEqual(new Set([Code.FailedPrecondition]));
    const { payment } = await p.internal.getPayment({ paymentId });
    expect(payment?.refundedAmount).toMatchObject(krw(90_000n));
    expect(payment?.refunds.filter((r) => r.status === RefundStatus.SUCCEEDED)).toHaveLength(6);
  });
});
