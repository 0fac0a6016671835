import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { callerServiceKey, GATEWAY_SERVICE, notFound, requireIdentity } from "@triphub/platform";
import { decodeKeysetToken, encodeKeysetToken } from "@triphub/platform/page-token";
import type { Payment } from "../domain/payment.js";
import { toProtoPayment } from "../proto-mapping/payment.js";
import type { PaymentCursor, PaymentStore } from "../store/payment-store.js";

type ReadRpcs = Pick<ServiceImpl<typeof PaymentService>, "getPayment" | "listPayments">;

const DEFAULT_PAGE_SIZE = 50;

/**
 * Whose payments the caller may read: everyone's for ADMIN and for other services (the saga,
 * support tools) calling with their own identity, else only their own. The gateway is a service
 * too, but it calls on a user's behalf, so through it the user's token decides.
 */
function readerOf(ctx: HandlerContext): { all: true } | { all: false; payerId: string } {
  const service = ctx.values.get(callerServiceKey);
  if (service !== undefined && service !== GATEWAY_SERVICE) return { all: true };
  const caller = requireIdentity(ctx);
  return caller.roles.includes("ADMIN") ? { all: true } : { all: false, payerId: caller.userId };
}

const canRead = (reader: ReturnType<typeof readerOf>, p: Payment) => reader.all || reader.payerId === p.payerId;

const pageToken = (p: Payment, reservationId: string) => encodeKeysetToken([p.createdAt.toISOString(), p.paymentId], reservationId);

function cursorOf(token: string, reservationId: string): PaymentCursor | undefined {
  if (token === "") return undefined;
  return decodeKeysetToken(token, "ListPayments", reservationId, 2, ([at, id]) => {
    if (typeof at !== "string" || typeof id !== "string") return undefined;
    const createdAt = new Date(at);
    return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, paymentId: id };
  });
}

/**
 * GetPayment and ListPayments, public (the gateway routes them). Someone else's payment is
 * NOT_FOUND, never PERMISSION_DENIED, so a payment id reveals nothing (AIP-211); a list shows a
 * user only the payments they made.
 */
export function readRpcs(d: { payments: PaymentStore }): ReadRpcs {
  return {
    async getPayment(req, ctx) {
      const reader = readerOf(ctx);
      const p = await d.payments.get(req.paymentId);
      if (!p || !canRead(reader, p)) throw notFound("payment", req.paymentId);
      return { payment: toProtoPayment(p) };
    },
    async listPayments(req, ctx) {
      const reader = readerOf(ctx);
      const size = req.pageSize === 0 ? DEFAULT_PAGE_SIZE : req.pageSize;
      // One more than asked tells whether another page follows.
      const rows = await d.payments.listByReservation(req.reservationId, {
        payerId: reader.all ? undefined : reader.payerId,
        after: cursorOf(req.pageToken, req.reservationId),
        limit: size + 1,
      });
      const page = rows.slice(0, size);
      const last = page[page.length - 1];
      return {
        payments: page.map(toProtoPayment),
        nextPageToken: rows.length > size && last ? pageToken(last, req.reservationId) : "",
      };
    },
  };
}
