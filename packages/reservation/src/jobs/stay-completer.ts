import { type Clock, createPeriodicJob, drainInBatches, type Logger } from "@triphub/platform";
import type { ReservationStore } from "../store/reservation-store.js";

// Stays completed per query: short transactions, few round trips.
const BATCH = 100;

/** Completes stays in the background; see {@link createStayCompleter}. */
export interface StayCompleter {
  /** Completes every confirmed stay whose check-out passed at `now()`; resolves to how many. */
  complete(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Moves CONFIRMED reservations to COMPLETED once their check-out time has passed at the
 * property: the fact that lets the guest review the stay. Each is a command on its stream, so
 * a cancellation racing it is decided on fresh state, and several instances may run at once
 * (a stay completed twice records one StayCompleted).
 */
export function createStayCompleter(opts: { store: ReservationStore; now: Clock; log: Logger; intervalMs: number }): StayCompleter {
  async function complete(): Promise<number> {
    let completed = 0;
    await drainInBatches(async (limit) => {
      const now = opts.now();
      const due = await opts.store.staysEndedBy(now, limit);
      for (const id of due) {
        const outcome = await opts.store.run(id, { type: "Complete" }, now);
        completed += outcome.events.length > 0 ? 1 : 0;
      }
      return due.length;
    }, BATCH);
    if (completed > 0) opts.log.info({ completed }, "completed stays");
    return completed;
  }
  return { complete, ...createPeriodicJob({ name: "stay completer", intervalMs: opts.intervalMs, log: opts.log, run: complete }) };
}
