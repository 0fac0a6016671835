// The payment enums both ways: domain string unions <-> generated proto enums. Tables rather
// than name arithmetic, so a renamed value fails to compile instead of mapping to UNSPECIFIED.
import { enumMapping } from "@triphub/platform";
import {
  CardBrand as ProtoCardBrand,
  DeclineCode as ProtoDeclineCode,
  PaymentStatus as ProtoPaymentStatus,
  RefundReason as ProtoRefundReason,
  RefundStatus as ProtoRefundStatus,
  VoidReason as ProtoVoidReason,
} from "@triphub/contracts/triphub/payment/v1/payment_pb";
import type { CardBrand, DeclineCode, PaymentStatus, RefundReason, RefundStatus, VoidReason } from "../domain/payment.js";

export const paymentStatus = enumMapping<PaymentStatus, ProtoPaymentStatus>(
  {
    authorized: ProtoPaymentStatus.AUTHORIZED,
    declined: ProtoPaymentStatus.DECLINED,
    voided: ProtoPaymentStatus.VOIDED,
    captured: ProtoPaymentStatus.CAPTURED,
    partially_refunded: ProtoPaymentStatus.PARTIALLY_REFUNDED,
    refunded: ProtoPaymentStatus.REFUNDED,
    expired: ProtoPaymentStatus.EXPIRED,
  },
  "payment status",
);

export const declineCode = enumMapping<DeclineCode, ProtoDeclineCode>(
  {
    generic_decline: ProtoDeclineCode.GENERIC_DECLINE,
    insufficient_funds: ProtoDeclineCode.INSUFFICIENT_FUNDS,
    expired_card: ProtoDeclineCode.EXPIRED_CARD,
    fraud_suspected: ProtoDeclineCode.FRAUD_SUSPECTED,
    invalid_payment_method: ProtoDeclineCode.INVALID_PAYMENT_METHOD,
    currency_not_supported: ProtoDeclineCode.CURRENCY_NOT_SUPPORTED,
  },
  "decline code",
);

export const cardBrand = enumMapping<CardBrand, ProtoCardBrand>(
  {
    visa: ProtoCardBrand.VISA,
    mastercard: ProtoCardBrand.MASTERCARD,
    amex: ProtoCardBrand.AMEX,
    jcb: ProtoCardBrand.JCB,
    unionpay: ProtoCardBrand.UNIONPAY,
    discover: ProtoCardBrand.DISCOVER,
  },
  "card brand",
);

export const refundReason = enumMapping<RefundReason, ProtoRefundReason>(
  {
    guest_cancellation: ProtoRefundReason.GUEST_CANCELLATION,
    host_cancellation: ProtoRefundReason.HOST_CANCELLATION,
    duplicate: ProtoRefundReason.DUPLICATE,
    goodwill: ProtoRefundReason.GOODWILL,
    other: ProtoRefundReason.OTHER,
  },
  "refund reason",
);

export const refundStatus = enumMapping<RefundStatus, ProtoRefundStatus>(
  { pending: ProtoRefundStatus.PENDING, succeeded: ProtoRefundStatus.SUCCEEDED, failed: ProtoRefundStatus.FAILED },
  "refund status",
);

export const voidReason = enumMapping<VoidReason, ProtoVoidReason>(
  {
    reservation_failed: ProtoVoidReason.RESERVATION_FAILED,
    reservation_cancelled: ProtoVoidReason.RESERVATION_CANCELLED,
    admin: ProtoVoidReason.ADMIN,
  },
  "void reason",
);
