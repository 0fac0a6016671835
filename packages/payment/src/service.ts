// The Connect ServiceImpl of a service whose contract came first. No RPC is written yet, so
// each answers UNIMPLEMENTED. Write them one resource at a time: a handler group in
// rpcs/<resource>-rpcs.ts (the template's rpcs/note-rpcs.ts shows the shape), its stores
// built here from `d.db`, and spread here.
import type { ServiceImpl } from "@connectrpc/connect";
import type { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import type { PaymentDb } from "./store/db.js";

/** What the RPCs need: the database and the clock (never `new Date()` in a handler). */
export interface PaymentServiceDeps {
  db: PaymentDb;
  now: () => Date;
}

/** The PaymentService RPCs written so far: none. */
export function createPaymentService(_d: PaymentServiceDeps): Partial<ServiceImpl<typeof PaymentService>> {
  return {};
}
