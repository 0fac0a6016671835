import { type Clock, createPeriodicJob, drainInBatches, type Logger } from "@triphub/platform";
import type { Hold } from "../domain/hold.js";
import type { HoldStore } from "../store/hold-store.js";
import { countHoldsExpired } from "../hold-metrics.js";

// Holds expired per transaction: short transactions, few round trips.
const BATCH = 100;

/** Options for {@link createHoldSweeper}. */
export interface HoldSweeperOptions {
  holds: HoldStore;
  now: Clock;
  log: Logger;
  intervalMs: number;
  /** Called after a sweep that gave units back, with the holds expired (e.g. to drop cached availability). */
  onExpired?: (expired: readonly Hold[]) => Promise<void>;
}

/** Releases lapsed holds in the background; see {@link createHoldSweeper}. */
export interface HoldSweeper {
  /** Expires every hold lapsed at `now()`, batch by batch; resolves to how many. */
  sweep(): Promise<number>;
  /** Sweeps every `intervalMs` until stopped. The timer never keeps the process alive. */
  start(): void;
  /** Stops the timer and waits for a sweep in progress, so the pool can close after. */
  stop(): Promise<void>;
}

/**
 * The expiry sweeper of the booking saga: holds nobody confirmed within their TTL give their
 * units back. Several instances may sweep at once (the store skips holds another transaction
 * has locked). A failed sweep is logged and retried on the next tick.
 */
export function createHoldSweeper(opts: HoldSweeperOptions): HoldSweeper {

  async function sweep(): Promise<number> {
    const all: Hold[] = [];
    await drainInBatches(async (limit) => {
      const expired = await opts.holds.expire(opts.now(), limit);
      countHoldsExpired(expired.length);
      all.push(...expired);
      return expired.length;
    }, BATCH);
    if (all.length > 0) {
      opts.log.info({ expired: all.length }, "expired lapsed holds");
      await opts.onExpired?.(all);
    }
    return all.length;
  }

  return { sweep, ...createPeriodicJob({ name: "hold sweep", intervalMs: opts.intervalMs, log: opts.log, run: sweep }) };
}
