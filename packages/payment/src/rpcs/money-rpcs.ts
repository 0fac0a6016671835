import type { ServiceImpl } from "@connectrpc/connect";
import type { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import type { PaymentOperations } from "../payment-operations.js";
import { voidReason } from "../proto-mapping/enums.js";
import { fromProtoMoney, toProtoPayment, toProtoRefund } from "../proto-mapping/payment.js";
import { authorizeInputFromProto, refundInputFromProto } from "../proto-mapping/requests.js";

type MoneyRpcs = Pick<ServiceImpl<typeof PaymentService>, "authorizePayment" | "capturePayment" | "voidPayment" | "refundPayment">;

/**
 * The RPCs that move money, called by the reservation service's booking saga. They are
 * internal: the proto's `callers` option names reservation, and the chassis refuses every other
 * caller (a user's token, even an admin's, included) before a handler runs, so the handlers
 * ask for no identity.
 */
export function moneyRpcs(d: { operations: PaymentOperations }): MoneyRpcs {
  return {
    async authorizePayment(req, ctx) {
      return { payment: toProtoPayment(await d.operations.authorize(authorizeInputFromProto(req), ctx.signal)) };
    },
    async capturePayment(req) {
      const amount = req.amount === undefined ? undefined : fromProtoMoney(req.amount);
      return { payment: toProtoPayment(await d.operations.capture(req.paymentId, amount)) };
    },
    async voidPayment(req) {
      return { payment: toProtoPayment(await d.operations.void(req.paymentId, voidReason.fromProto(req.reason))) };
    },
    async refundPayment(req) {
      const { payment, refund } = await d.operations.refund(refundInputFromProto(req));
      return { payment: toProtoPayment(payment), refund: toProtoRefund(refund) };
    },
  };
}
