// Requests of the money-moving RPCs as the operations' inputs. The chassis has checked their
// shape (buf.validate) already; what is left is turning proto into domain values.
import type {
  AuthorizePaymentRequest,
  RefundPaymentRequest,
} from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { invalid } from "@triphub/platform";
import type { Money } from "../domain/money.js";
import type { AuthorizeInput, RefundInput } from "../payment-operations.js";
import { refundReason } from "./enums.js";
import { fromProtoMoney } from "./payment.js";

/** A required Money field; its absence is INVALID_ARGUMENT naming the field. */
export function requiredMoney(m: Parameters<typeof fromProtoMoney>[0], field: string): Money {
  if (m === undefined) throw invalid(field, "is required");
  return fromProtoMoney(m);
}

export const authorizeInputFromProto = (req: AuthorizePaymentRequest): AuthorizeInput => ({
  reservationId: req.reservationId,
  payerId: req.payerId,
  amount: requiredMoney(req.amount, "amount"),
  token: req.paymentMethodToken,
  idempotencyKey: req.idempotencyKey,
  description: req.description,
});

export const refundInputFromProto = (req: RefundPaymentRequest): RefundInput => ({
  paymentId: req.paymentId,
  amount: requiredMoney(req.amount, "amount"),
  reason: refundReason.fromProto(req.reason),
  idempotencyKey: req.idempotencyKey,
  note: req.note,
});
