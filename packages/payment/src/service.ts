// The Connect ServiceImpl, composed from the handler groups in rpcs/.
import type { ServiceImpl } from "@connectrpc/connect";
import type { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import type { EventFeed, EventStore } from "@triphub/platform/events";
import type { PaymentOperations } from "./payment-operations.js";
import { eventRpcs } from "./rpcs/event-rpcs.js";
import { moneyRpcs } from "./rpcs/money-rpcs.js";
import { readRpcs } from "./rpcs/read-rpcs.js";
import type { PaymentStore } from "./store/payment-store.js";

/** What the RPCs need: the stores, the operations against the provider, and the event feed. */
export interface PaymentServiceDeps {
  payments: PaymentStore;
  operations: PaymentOperations;
  events: EventStore;
  feed: EventFeed;
}

/** Every PaymentService RPC. */
export function createPaymentService(d: PaymentServiceDeps): ServiceImpl<typeof PaymentService> {
  return {
    ...moneyRpcs(d),
    ...readRpcs(d),
    ...eventRpcs(d),
  };
}
