import { type Clock, createPeriodicJob, drainInBatches, type Logger, type PeriodicJob } from "@triphub/platform";
import type { OAuthStore } from "../store/oauth-store.js";
import type { SessionStore } from "../store/session-store.js";
import type { ThrottleStore } from "../store/throttle-store.js";

const BATCH = 1000;

/** Options for {@link createHousekeeping}. */
export interface HousekeepingOptions {
  sessions: SessionStore;
  throttle: ThrottleStore;
  /** Absent: no social login tables to purge. */
  oauth?: Pick<OAuthStore, "purgeExpired">;
  now: Clock;
  log: Logger;
  /** Default ten minutes. */
  intervalMs?: number;
}

/**
 * Keeps the session, throttle and social login tables bounded: expired refresh tokens, finished
 * throttle windows, and expired social login states and link tokens are deleted every ten minutes, in batches, by whichever instance gets there. Expired
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
      const oauth = opts.oauth;
      const logins = oauth ? await drainInBatches((limit) => oauth.purgeExpired(opts.now(), limit), BATCH) : 0;
      if (tokens + windows + logins > 0) {
        opts.log.info({ tokens, windows, logins }, "purged expired refresh tokens, throttle windows and social login states");
      }
    },
  });
}
