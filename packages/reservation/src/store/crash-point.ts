// Failpoints for the crash tests (test/saga-crash*.test.ts), off unless their variable is set;
// nothing else in the service knows about them. The process SIGKILLs itself at the two worst
// moments of a saga step: right after its outcome was committed (RESERVATION_CRASH_AFTER, an
// event type), or after the other service did the step but before the outcome is recorded
// (RESERVATION_CRASH_BEFORE, a command type): the answer is lost and the step must be repeated.
import type { ReservationCommand } from "../domain/reservation-commands.js";
import { reservationEventTypes } from "../proto-mapping/events.js";
import type { ReservationStore } from "./reservation-store.js";

const PACKAGE = "triphub.reservation.v1.";
const COMMANDS: ReadonlySet<string> = new Set<ReservationCommand["type"]>([
  "Request",
  "RecordHold",
  "RecordAuthorization",
  "Confirm",
  "Fail",
  "RecordVoid",
  "RecordRelease",
  "Cancel",
  "RecordRefund",
  "RecordRefundFailure",
  "Complete",
]);

/** Where the process dies: after an event (short name, e.g. "RoomsHeld"), before a command (e.g. "RecordHold"). */
export interface CrashPoints {
  after?: string;
  before?: string;
}

const die = () => process.kill(process.pid, "SIGKILL");

/** `store`, or one whose process dies at the given points. */
export function withCrashPoints(store: ReservationStore, at: CrashPoints): ReservationStore {
  if (!at.after && !at.before) return store;
  if (at.after && !reservationEventTypes.getMessage(PACKAGE + at.after)) throw new Error(`RESERVATION_CRASH_AFTER: ${at.after} is not a reservation event`);
  if (at.before && !COMMANDS.has(at.before)) throw new Error(`RESERVATION_CRASH_BEFORE: ${at.before} is not a reservation command`);
  return {
    ...store,
    async run(reservationId, command, now) {
      if (command.type === at.before) die();
      const outcome = await store.run(reservationId, command, now);
      if (at.after && outcome.events.some((e) => e.type === at.after)) die();
      return outcome;
    },
  };
}
