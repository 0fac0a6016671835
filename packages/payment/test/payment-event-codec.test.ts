import { fromBinary } from "@bufbuild/protobuf";
import { PaymentVoidedSchema, RefundRequestedSchema } from "@triphub/contracts/triphub/payment/v1/events_pb";
import { PaymentStatus, RefundStatus, VoidReason } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { describe, expect, it } from "vitest";
import { evolve, type PaymentCommand, type PaymentEvent, type PaymentState } from "../src/domain/payment.js";
import { decodePaymentEvent, encodePaymentEvent } from "../src/proto-mapping/events.js";
import { authorize, capture, complete, declinedAuthorize, fail, lapse, refund, run, voidIt } from "./domain-fixtures.js";

// Each event encoded with the state it leads to, then decoded: the same event, and a replay of
// the decoded events folds to the same payment.
function roundTrip(commands: PaymentCommand[]) {
  const { state, events } = run(commands);
  let s: PaymentState;
  const encoded = events.map((e) => {
    s = evolve(s, e);
    return encodePaymentEvent(e, s);
  });
  const decoded = encoded.map((x) => decodePaymentEvent(x.type, x.payload));
  return { state, events, encoded, decoded };
}

describe("the payment event codec", () => {
  it.each<[string, PaymentCommand[]]>([
    ["authorize, capture, refunds that succeed and fail", [authorize(), capture(80_000n), refund(1, 30_000n), complete(1), refund(2, 10_000n), fail(2), refund(3, 50_000n), complete(3)]],
    ["a decline", [declinedAuthorize()]],
    ["a void", [authorize(), voidIt()]],
  ])("reads back every event of %s and folds to the same payment", (_name, commands) => {
    const { state, events, decoded } = roundTrip(commands);
    expect(decoded).toEqual(events);
    expect(decoded.reduce<PaymentState>(evolve, undefined)).toEqual(state);
  });

  it("reads back an expiry", () => {
    const { state: authorized } = run([authorize()]);
    const expired: PaymentEvent = { type: "AuthorizationExpired", at: lapse };
    const x = encodePaymentEvent(expired, evolve(authorized, expired));
    expect(decodePaymentEvent(x.type, x.payload)).toEqual(expired);
  });

  it("records the payment as it is after the event, with the refund it concerns", () => {
    const { encoded } = roundTrip([authorize(), capture(), refund(1, 30_000n)]);
    const requested = encoded[2]!;
    expect(requested.type).toBe("triphub.payment.v1.RefundRequested");
    const m = fromBinary(RefundRequestedSchema, requested.payload);
    expect(m.payment?.status).toBe(PaymentStatus.CAPTURED);
    expect(m.payment?.refunds).toHaveLength(1);
    expect(m.refund).toMatchObject({ refundId: "refund-1", status: RefundStatus.PENDING, amount: { amountMinor: 30_000n, currencyCode: "KRW" } });
    const voided = roundTrip([authorize(), voidIt()]).encoded[1]!;
    expect(fromBinary(PaymentVoidedSchema, voided.payload)).toMatchObject({ reason: VoidReason.RESERVATION_FAILED, payment: { status: PaymentStatus.VOIDED } });
  });
});
