// The ReservationService RPCs: each group in rpcs/, its stores built in server.ts.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import type { EventFeed, EventStore } from "@triphub/platform/events";
import type { Sealer } from "@triphub/platform/sealing";
import { eventRpcs } from "./rpcs/event-rpcs.js";
import { reservationRpcs } from "./rpcs/reservation-rpcs.js";
import { watchRpcs } from "./rpcs/watch-rpcs.js";
import type { SagaRunner } from "./saga/saga-runner.js";
import type { ReservationDb } from "./store/db.js";
import type { ReservationStore } from "./store/reservation-store.js";

/** What the RPCs need (never `new Date()` in a handler: `now`). */
export interface ReservationServiceDeps {
  db: ReservationDb;
  /** Opens the guest's contact in the listed rows. */
  sealer: Sealer;
  store: ReservationStore;
  runner: SagaRunner;
  events: EventStore;
  feed: EventFeed;
  now: () => Date;
  /** How long CreateReservation and CancelReservation wait for the saga before answering. */
  waitMs: number;
}

export function createReservationService(d: ReservationServiceDeps): ServiceImpl<typeof ReservationService> {
  return {
    ...reservationRpcs(d),
    ...watchRpcs(d),
    ...eventRpcs(d),
  };
}
