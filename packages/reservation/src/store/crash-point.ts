// A failpoint for the crash tests (test/saga-crash.test.ts): the process SIGKILLs itself right
// after a command that recorded an event of the named type has committed, the worst moment for
// a saga (the step happened and is recorded, nothing after it ran). Off unless
// RESERVATION_CRASH_AFTER is set; nothing else in the service knows about it.
import { reservationEventTypes } from "./event-codec.js";
import type { ReservationStore } from "./reservation-store.js";

const PACKAGE = "triphub.reservation.v1.";

/**
 * `store`, or, when `eventType` names a reservation event (its short name, e.g. "RoomsHeld"),
 * a store whose process dies as soon as a command recording that event has committed.
 */
export function withCrashPoint(store: ReservationStore, eventType: string | undefined): ReservationStore {
  if (!eventType) return store;
  const typeName = PACKAGE + eventType;
  if (!reservationEventTypes.getMessage(typeName)) throw new Error(`RESERVATION_CRASH_AFTER: ${eventType} is not a reservation event`);
  return {
    ...store,
    async run(reservationId, command, now) {
      const outcome = await store.run(reservationId, command, now);
      if (outcome.events.some((e) => e.payload.$typeName === typeName)) process.kill(process.pid, "SIGKILL");
      return outcome;
    },
  };
}
