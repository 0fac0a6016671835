// The payment's events both ways: domain event <-> triphub.payment.v1 event message. Each
// recorded message carries the payment as it is after the event (events.proto); decoding reads
// the domain event back out of that snapshot, so replaying the log folds to the same state.
import { create, type DescMessage, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import * as ev from "@triphub/contracts/triphub/payment/v1/events_pb";
import type { Payment as ProtoPayment, Refund as ProtoRefund } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import type { EventCodec } from "@triphub/platform/events";
import type { Payment, PaymentEvent, PaymentState } from "../domain/payment.js";
import { voidReason } from "./enums.js";
import { fromProtoPayment, fromProtoRefund, toProtoPayment, toProtoRefund } from "./payment.js";

/** An event as the log stores it: the payload message's full name and its binary form. */
export interface EncodedEvent {
  type: string;
  payload: Uint8Array;
}

function encode<D extends DescMessage>(schema: D, init: MessageInitShape<D>): EncodedEvent {
  return { type: schema.typeName, payload: toBinary(schema, create(schema, init)) };
}

function refundOf(p: Payment, refundId: string) {
  const r = p.refunds.find((x) => x.refundId === refundId);
  if (r === undefined) throw new Error(`refund ${refundId} is not in payment ${p.paymentId}`);
  return toProtoRefund(r);
}

/**
 * `e` in the contract's form, carrying `after`, the payment once `e` is applied. Encoded once,
 * when the event is recorded: the stored bytes are what every consumer receives, forever.
 */
export function encodePaymentEvent(e: PaymentEvent, after: PaymentState): EncodedEvent {
  if (after === undefined) throw new Error(`${e.type} leaves no payment`);
  const payment = toProtoPayment(after);
  switch (e.type) {
    case "PaymentAuthorized":
      return encode(ev.PaymentAuthorizedSchema, { payment });
    case "PaymentDeclined":
      return encode(ev.PaymentDeclinedSchema, { payment });
    case "PaymentCaptured":
      return encode(ev.PaymentCapturedSchema, { payment });
    case "PaymentVoided":
      return encode(ev.PaymentVoidedSchema, { payment, reason: voidReason.toProto(e.reason) });
    case "AuthorizationExpired":
      return encode(ev.AuthorizationExpiredSchema, { payment });
    case "RefundRequested":
      return encode(ev.RefundRequestedSchema, { payment, refund: refundOf(after, e.refundId) });
    case "PaymentRefunded":
      return encode(ev.PaymentRefundedSchema, { payment, refund: refundOf(after, e.refundId) });
    case "RefundFailed":
      return encode(ev.RefundFailedSchema, { payment, refund: refundOf(after, e.refundId) });
    default: {
      const unknown: never = e;
      throw new Error(`no encoding for ${(unknown as PaymentEvent).type}`);
    }
  }
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`recorded payment event without ${what}`);
  return v;
}

function refundEventParts(payment: ProtoPayment | undefined, refund: ProtoRefund | undefined) {
  const p = fromProtoPayment(required(payment, "payment"));
  const r = fromProtoRefund(required(refund, "refund"));
  return { p, r, at: p.updatedAt };
}

/** The domain event recorded as the message `type` with the binary `payload`. */
export function decodePaymentEvent(type: string, payload: Uint8Array): PaymentEvent {
  switch (type) {
    case ev.PaymentAuthorizedSchema.typeName: {
      const p = fromProtoPayment(required(fromBinary(ev.PaymentAuthorizedSchema, payload).payment, "payment"));
      return {
        type: "PaymentAuthorized",
        at: p.createdAt,
        ...identity(p),
        providerReference: required(p.providerReference, "provider_reference"),
        paymentMethod: required(p.paymentMethod, "payment_method"),
        authorizationExpiresAt: required(p.authorizationExpiresAt, "authorization_expire_time"),
      };
    }
    case ev.PaymentDeclinedSchema.typeName: {
      const p = fromProtoPayment(required(fromBinary(ev.PaymentDeclinedSchema, payload).payment, "payment"));
      return {
        type: "PaymentDeclined",
        at: p.createdAt,
        ...identity(p),
        declineCode: required(p.declineCode, "decline_code"),
        failureMessage: p.failureMessage ?? "",
      };
    }
    case ev.PaymentCapturedSchema.typeName: {
      const p = fromProtoPayment(required(fromBinary(ev.PaymentCapturedSchema, payload).payment, "payment"));
      return { type: "PaymentCaptured", at: p.updatedAt, amount: p.capturedAmount };
    }
    case ev.PaymentVoidedSchema.typeName: {
      const m = fromBinary(ev.PaymentVoidedSchema, payload);
      const p = fromProtoPayment(required(m.payment, "payment"));
      return { type: "PaymentVoided", at: p.updatedAt, reason: voidReason.fromProto(m.reason) };
    }
    case ev.AuthorizationExpiredSchema.typeName: {
      const p = fromProtoPayment(required(fromBinary(ev.AuthorizationExpiredSchema, payload).payment, "payment"));
      return { type: "AuthorizationExpired", at: p.updatedAt };
    }
    case ev.RefundRequestedSchema.typeName: {
      const m = fromBinary(ev.RefundRequestedSchema, payload);
      const { r, at } = refundEventParts(m.payment, m.refund);
      return { type: "RefundRequested", at, refundId: r.refundId, amount: r.amount, reason: r.reason, idempotencyKey: r.idempotencyKey, note: r.note };
    }
    case ev.PaymentRefundedSchema.typeName: {
      const m = fromBinary(ev.PaymentRefundedSchema, payload);
      const { r, at } = refundEventParts(m.payment, m.refund);
      return { type: "PaymentRefunded", at, refundId: r.refundId };
    }
    case ev.RefundFailedSchema.typeName: {
      const m = fromBinary(ev.RefundFailedSchema, payload);
      const { r, at } = refundEventParts(m.payment, m.refund);
      return { type: "RefundFailed", at, refundId: r.refundId, message: r.failureMessage ?? "" };
    }
    default:
      throw new Error(`not a payment event: ${type}`);
  }
}

// The fields an authorization's first event states about the payment.
const identity = (p: Payment) => ({
  paymentId: p.paymentId,
  reservationId: p.reservationId,
  payerId: p.payerId,
  idempotencyKey: p.idempotencyKey,
  amount: p.amount,
  description: p.description,
});

/** The payment aggregate's codec for the platform's event store. */
export const paymentEventCodec: EventCodec<PaymentEvent, PaymentState> = {
  encode: encodePaymentEvent,
  decode: decodePaymentEvent,
};

