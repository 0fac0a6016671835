import { type Clock, createPeriodicJob, drainInBatches, type Logger, type PeriodicJob } from "@triphub/platform";
import type { SessionStore } from "../store/session-store.js";
import type { ThrottleStore } from "../store/throttle-store.js";

const BATCH = 1000;

/** Options for {@link createHousekeeping}. */
export interface HousekeepingOptions {
  sessions: SessionStore;
  throttle: ThrottleStore;
  now: Clock;
  log: Logger;
  /** Default ten minutes. */
  intervalMs?: number;
}

/**
 * Keeps the session and throttle tables bounded: expired refresh tokens and finished throttle
 * windows are deleted every ten minutes, in batches, by whichever instance gets there. Expired
 * rows are already refused, so this changes no answer; a failed run is retried on the next tick.
 */
export function createHousekeeping(opts: HousekeepingOptions): PeriodicJob {
  return createPeriodicJob({
    name: "auth housekeeping",
    intervalMs: opts.intervalMs ?? 10 * 60_000,
    log: opts.log,
    run: async () => {
      const tokens = await drainInBatches((limit) => opts.sessions.purgeExpired(opts.now(), limit), BATCH);
      const windows = await drainInBatches((limit) => opts.throttle.purgeExpired(opts.now(), limit), BATCH);
      if (tokens + windows > 0) opts.log.info({ tokens, windows }, "purged expired refresh tokens and throttle windows");
    },
  });
}
