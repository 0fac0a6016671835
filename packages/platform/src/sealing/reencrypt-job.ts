import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { createPeriodicJob, type PeriodicJob } from "../periodic-job.js";
import type { Sealer } from "./sealer.js";

/**
 * One kind of sealed record a service keeps: re-seals up to `limit` records whose values are
 * not sealed with data key `currentKeyId` (or are still in clear), and says how many it did.
 * Each call must make progress on its own (select what is not on the current key, `for update
 * skip locked`), so the job is resumable after a crash and safe on several instances.
 */
export type ReencryptStep = (currentKeyId: string, limit: number) => Promise<number>;

/** The re-encrypt job: {@link createReencryptJob}. */
export interface ReencryptJob extends PeriodicJob {
  /** One full pass (what each tick does): resolves to how many records moved. */
  runOnce(): Promise<number>;
}

/** Options of {@link createReencryptJob}. */
export interface ReencryptJobOptions {
  sealer: Sealer;
  /** The service's sealed records, each kind a step. */
  steps: Readonly<Record<string, ReencryptStep>>;
  log: Logger;
  now: Clock;
  /** Default 30 s: also how often new data keys made by another instance are loaded. */
  intervalMs?: number;
  /** Records per batch (one transaction each); default 200. */
  batchSize?: number;
  /** A data key older than this is replaced by a new one (default 90 days; 0: never). */
  maxKeyAgeMs?: number;
  /**
   * How long a kind of record found wholly on the current data key is left unscanned (default
   * 1 hour). Records are sealed with the current key as they are written, so only a new key
   * gives a pass work; the rescan is for a record an instance wrote before it loaded the key.
   * Without it, every tick would read every sealed record (nothing indexes "on an older key").
   */
  rescanMs?: number;
}

/**
 * Keeps a service's sealed data on its current data key: each run loads data keys other
 * instances made, makes a new one when the current one is older than `maxKeyAgeMs`, and moves
 * every record sealed with a retired key (or stored in clear before sealing began) onto the
 * current one, in batches.
 */
export function createReencryptJob(opts: ReencryptJobOptions): ReencryptJob {
  const batchSize = opts.batchSize ?? 200;
  const maxKeyAgeMs = opts.maxKeyAgeMs ?? 90 * 86_400_000;
  const rescanMs = opts.rescanMs ?? 3_600_000;
  // Per kind of record: the data key it was last found wholly on, and when.
  const settled = new Map<string, { keyId: string; at: number }>();
  const runOnce = async () => {
    await opts.sealer.refresh();
    if (maxKeyAgeMs > 0 && opts.now().getTime() - opts.sealer.newestKeyCreatedAt().getTime() > maxKeyAgeMs) {
      await opts.sealer.rotateDataKey();
    }
    const current = opts.sealer.currentKeyId();
    let moved = 0;
    for (const [name, step] of Object.entries(opts.steps)) {
      const last = settled.get(name);
      const startedAt = opts.now().getTime();
      if (last?.keyId === current && startedAt - last.at < rescanMs) continue;
      let ofStep = 0;
      for (;;) {
        const n = await step(current, batchSize);
        ofStep += n;
        if (n < batchSize) break;
      }
      settled.set(name, { keyId: current, at: startedAt });
      if (ofStep > 0) opts.log.info({ records: name, moved: ofStep, dataKey: current }, "records re-sealed with the current data key");
      moved += ofStep;
    }
    return moved;
  };
  const job = createPeriodicJob({ name: "re-encrypt", intervalMs: opts.intervalMs ?? 30_000, log: opts.log, run: runOnce });
  return { ...job, runOnce };
}
