// Rebuilding the read models (reservations, saga_work) from the events table, the truth.
import { type EventDb, rebuildProjections } from "@triphub/platform/events";
import { sql } from "drizzle-orm";
import { reservationDecider } from "../domain/reservation-decider.js";
import type { ReservationState } from "../domain/reservation-state.js";
import type { Sealer } from "@triphub/platform/sealing";
import { createReservationEventCodec } from "../proto-mapping/events.js";
import { projectReservation, RESERVATION_LOG } from "./reservation-store.js";

/**
 * Empties the read models and replays every event into them, in one transaction (readers see
 * the old rows until it commits); the guest's contact is sealed anew with `sealer`. Run it with the service stopped: a saga step recorded during
 * the replay could be missed. Resolves to the number of events replayed.
 */
export async function rebuildReadModels(db: EventDb, sealer: Sealer): Promise<number> {
  const codec = createReservationEventCodec(sealer);
  const states = new Map<string, ReservationState>();
  return rebuildProjections(db, RESERVATION_LOG, {
    reset: async (tx) => {
      await tx.execute(sql`truncate reservations, saga_work`);
    },
    apply: async (tx, stored) => {
      const event = codec.decode(stored.type, stored.payload, stored.occurTime);
      const state = reservationDecider.evolve(states.get(stored.streamId), event);
      states.set(stored.streamId, state);
      await projectReservation(sealer, tx, stored.streamId, state);
    },
  });
}
