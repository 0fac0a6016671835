import { type Bucket, gcra, type Verdict } from "./gcra.js";

/** Where bucket states live: Redis (shared by every gateway) or this process's memory. */
export interface BucketStore {
  /** Counts one request against every bucket, or against none if any refuses it. */
  take(buckets: readonly Bucket[], now: number): Promise<Verdict>;
}

/**
 * Buckets in this process, for when there is no Redis or it does not answer. Same algorithm
 * and budgets as in Redis, but each gateway instance counts on its own. Holds at most
 * `maxBuckets`; past that, buckets that are full again are dropped first (they hold nothing a
 * fresh one would not), then the oldest, so a flood of new addresses cannot exhaust memory.
 */
export function createMemoryStore(maxBuckets = 100_000): BucketStore {
  const tats = new Map<string, number>();

  function prune(now: number): void {
    for (const [key, tat] of tats) if (tat <= now) tats.delete(key);
    for (const key of tats.keys()) {
      if (tats.size < maxBuckets) break;
      tats.delete(key);
    }
  }

  return {
    async take(buckets, now) {
      const { verdict, tats: next } = gcra(
        buckets.map((b) => tats.get(b.key)),
        buckets,
        now,
      );
      if (verdict.allowed) {
        if (tats.size + buckets.length > maxBuckets) prune(now);
        for (const [i, b] of buckets.entries()) tats.set(b.key, next[i]!);
      }
      return verdict;
    },
  };
}
