// The Payment read model both ways: domain <-> triphub.payment.v1.Payment. Only the card's
// brand, last four digits and expiry exist on either side; nothing else of a card is kept.
import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Money as ProtoMoney, MoneySchema } from "@triphub/contracts/triphub/common/v1/money_pb";
import {
  DeclineCode as ProtoDeclineCode,
  type Payment as ProtoPayment,
  PaymentSchema,
  type Refund as ProtoRefund,
  RefundSchema,
} from "@triphub/contracts/triphub/payment/v1/payment_pb";
import type { Money } from "../domain/money.js";
import type { Payment, Refund } from "../domain/payment.js";
import { cardBrand, declineCode, paymentStatus, refundReason, refundStatus } from "./enums.js";

/** Domain money as proto money. */
export const toProtoMoney = (m: Money): ProtoMoney => create(MoneySchema, { amountMinor: m.amountMinor, currencyCode: m.currency });

/** Proto money as domain money (both are int64 minor units: nothing to round). */
export const fromProtoMoney = (m: ProtoMoney | undefined): Money => ({ amountMinor: m?.amountMinor ?? 0n, currency: m?.currencyCode ?? "" });

const time = (d: Date | undefined): Timestamp | undefined => (d === undefined ? undefined : timestampFromDate(d));
const date = (t: Timestamp | undefined): Date | undefined => (t === undefined ? undefined : timestampDate(t));
const requiredDate = (t: Timestamp | undefined, field: string): Date => {
  if (t === undefined) throw new Error(`recorded payment without ${field}`);
  return timestampDate(t);
};
// Proto strings have no "unset": empty means none.
const text = (s: string): string | undefined => (s === "" ? undefined : s);

/** A domain refund as the contract's Refund. */
export function toProtoRefund(r: Refund): ProtoRefund {
  return create(RefundSchema, {
    refundId: r.refundId,
    amount: toProtoMoney(r.amount),
    reason: refundReason.toProto(r.reason),
    status: refundStatus.toProto(r.status),
    idempotencyKey: r.idempotencyKey,
    note: r.note,
    failureMessage: r.failureMessage ?? "",
    createTime: time(r.createdAt),
    completeTime: time(r.completedAt),
  });
}

/** The contract's Refund as a domain refund. */
export function fromProtoRefund(r: ProtoRefund): Refund {
  return {
    refundId: r.refundId,
    amount: fromProtoMoney(r.amount),
    reason: refundReason.fromProto(r.reason),
    status: refundStatus.fromProto(r.status),
    idempotencyKey: r.idempotencyKey,
    note: r.note,
    failureMessage: text(r.failureMessage),
    createdAt: requiredDate(r.createTime, "refund create_time"),
    completedAt: date(r.completeTime),
  };
}

/** A domain payment as the contract's Payment. */
export function toProtoPayment(p: Payment): ProtoPayment {
  return create(PaymentSchema, {
    paymentId: p.paymentId,
    reservationId: p.reservationId,
    payerId: p.payerId,
    idempotencyKey: p.idempotencyKey,
    status: paymentStatus.toProto(p.status),
    amount: toProtoMoney(p.amount),
    capturedAmount: toProtoMoney(p.capturedAmount),
    refundedAmount: toProtoMoney(p.refundedAmount),
    paymentMethod: p.paymentMethod && {
      brand: cardBrand.toProto(p.paymentMethod.brand),
      last4: p.paymentMethod.last4,
      expMonth: p.paymentMethod.expMonth,
      expYear: p.paymentMethod.expYear,
    },
    declineCode: p.declineCode === undefined ? ProtoDeclineCode.UNSPECIFIED : declineCode.toProto(p.declineCode),
    failureMessage: p.failureMessage ?? "",
    refunds: p.refunds.map(toProtoRefund),
    description: p.description,
    providerReference: p.providerReference ?? "",
    createTime: time(p.createdAt),
    updateTime: time(p.updatedAt),
    authorizationExpireTime: time(p.authorizationExpiresAt),
    captureTime: time(p.capturedAt),
    voidTime: time(p.voidedAt),
  });
}

/** The contract's Payment (as recorded by this service) as a domain payment. */
export function fromProtoPayment(p: ProtoPayment): Payment {
  const m = p.paymentMethod;
  return {
    paymentId: p.paymentId,
    reservationId: p.reservationId,
    payerId: p.payerId,
    idempotencyKey: p.idempotencyKey,
    status: paymentStatus.fromProto(p.status),
    amount: fromProtoMoney(p.amount),
    capturedAmount: fromProtoMoney(p.capturedAmount),
    refundedAmount: fromProtoMoney(p.refundedAmount),
    paymentMethod: m && { brand: cardBrand.fromProto(m.brand), last4: m.last4, expMonth: m.expMonth, expYear: m.expYear },
    declineCode: p.declineCode === ProtoDeclineCode.UNSPECIFIED ? undefined : declineCode.fromProto(p.declineCode),
    failureMessage: text(p.failureMessage),
    refunds: p.refunds.map(fromProtoRefund),
    description: p.description,
    providerReference: text(p.providerReference),
    createdAt: requiredDate(p.createTime, "create_time"),
    updatedAt: requiredDate(p.updateTime, "update_time"),
    authorizationExpiresAt: date(p.authorizationExpireTime),
    capturedAt: date(p.captureTime),
    voidedAt: date(p.voidTime),
  };
}
