import { type Clock, createPeriodicJob, type Logger, type PeriodicJob } from "@triphub/platform";
import type { InstanceStore } from "../store/instance-store.js";

/** Options for {@link createLeaseSweeper}. */
export interface LeaseSweeperOptions {
  store: InstanceStore;
  now: Clock;
  log: Logger;
  intervalMs: number;
  /** How long a lapsed instance stays listed (unhealthy) before it is removed. */
  removeAfterMs: number;
}

/** The lease sweeper: {@link PeriodicJob} plus one sweep on demand. */
export interface LeaseSweeper extends PeriodicJob {
  /** Lapses expired leases and removes long-lapsed instances now. */
  sweep(): Promise<void>;
}

/**
 * Takes out instances whose lease ran out (their watchers are told at once) and forgets them
 * after `removeAfterMs`. Every registry instance sweeps; the updates are idempotent, so two
 * sweeping at once do no harm.
 */
export function createLeaseSweeper(opts: LeaseSweeperOptions): LeaseSweeper {
  async function sweep(): Promise<void> {
    const now = opts.now();
    const lapsed = await opts.store.lapseExpired(now);
    const removed = await opts.store.removeLapsed(new Date(now.getTime() - opts.removeAfterMs));
    if (lapsed > 0 || removed > 0) opts.log.info({ lapsed, removed }, "instances whose lease ran out");
  }
  return { sweep, ...createPeriodicJob({ name: "lease sweep", intervalMs: opts.intervalMs, log: opts.log, run: sweep }) };
}
