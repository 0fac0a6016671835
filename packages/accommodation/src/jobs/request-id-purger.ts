import { type Clock, createPeriodicJob, drainInBatches, type Logger } from "@triphub/platform";
import { purgeRequestIds } from "../store/request-ids.js";
import type { Executor } from "../store/db.js";

const BATCH = 1000;

/** Forgets expired AIP-155 request ids in the background; see {@link createRequestIdPurger}. */
export interface RequestIdPurger {
  /** Deletes every request id expired at `now()`, batch by batch; resolves to how many. */
  purge(): Promise<number>;
  /** Purges every `intervalMs` until stopped. The timer never keeps the process alive. */
  start(): void;
  /** Stops the timer and waits for a purge in progress, so the pool can close after. */
  stop(): Promise<void>;
}

/**
 * Keeps the request-id table bounded. An expired key is already ignored by the creates (they
 * claim it afresh), so this is housekeeping only: a late or failed purge changes no answer.
 */
export function createRequestIdPurger(opts: { db: Executor; now: Clock; log: Logger; intervalMs: number }): RequestIdPurger {
  async function purge(): Promise<number> {
    const total = await drainInBatches((limit) => purgeRequestIds(opts.db, opts.now(), limit), BATCH);
    if (total > 0) opts.log.info({ purged: total }, "purged expired request ids");
    return total;
  }

  return { purge, ...createPeriodicJob({ name: "request id purge", intervalMs: opts.intervalMs, log: opts.log, run: purge }) };
}
