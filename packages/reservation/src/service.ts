// The Connect ServiceImpl of a service whose contract came first. No RPC is written yet, so
// each answers UNIMPLEMENTED. Write them one resource at a time: a handler group in
// rpcs/<resource>-rpcs.ts (the template's rpcs/note-rpcs.ts shows the shape), its stores
// built here from `d.db`, and spread here.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import type { ReservationDb } from "./store/db.js";

/** What the RPCs need: the database and the clock (never `new Date()` in a handler). */
export interface ReservationServiceDeps {
  db: ReservationDb;
  now: () => Date;
}

/** The ReservationService RPCs written so far: none. */
export function createReservationService(_d: ReservationServiceDeps): Partial<ServiceImpl<typeof ReservationService>> {
  return {};
}
