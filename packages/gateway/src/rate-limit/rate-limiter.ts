import type { Clock, Logger } from "@triphub/platform";
import { createClient } from "redis";
import type { Budget, Budgets, RouteClass, SubjectKind } from "./budgets.js";
import type { Bucket, BucketState, Verdict } from "./gcra.js";
import { type BucketStore, createMemoryStore } from "./memory-store.js";
import { createRedisStore, type RedisClient } from "./redis-store.js";
import type { Subject } from "./subjects.js";

/** One budget a request was counted against, and where it stands. */
export interface AppliedBudget {
  routeClass: RouteClass;
  kind: SubjectKind;
  budget: Budget;
  state: BucketState;
}

/** Whether a request may pass, with every budget it was counted against. */
export interface RateLimitDecision {
  allowed: boolean;
  budgets: AppliedBudget[];
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  budgets: Budgets;
  /** Where budgets are shared; without it each gateway instance counts on its own. */
  redisUrl?: string;
  /** Longest a request waits for Redis before it is counted in memory instead. */
  redisTimeoutMs: number;
  log: Logger;
  now: Clock;
  /** How often a Redis that failed is asked whether it answers again. Default 1 s. */
  probeIntervalMs?: number;
}

/** Counts requests against budgets. */
export interface RateLimiter {
  /** Counts one request of `routeClass` against the budgets of each of its `subjects`. */
  check(routeClass: RouteClass, subjects: readonly Subject[]): Promise<RateLimitDecision>;
  /** Whether counts are shared in Redis right now (false: this instance counts on its own). */
  shared(): boolean;
  /**
   * Replaces the budgets from the next request on (live configuration). Counts so far stay:
   * a bucket's state is the time its budget is next whole, which the new rate simply continues.
   */
  setBudgets(budgets: Budgets): void;
  close(): Promise<void>;
}

const KEY_PREFIX = "ratelimit:";

/**
 * Budgets counted in Redis, shared by every gateway instance; while Redis does not answer
 * within `redisTimeoutMs` (down, unreachable or stalled), in this process's memory with the
 * same budgets: neither letting everything through nor refusing everything. The switch is
 * logged once each way; a probe brings the limiter back to Redis as soon as it answers.
 * Buckets in memory are not merged into Redis on the way back: they only ever held the
 * requests of the outage.
 */
export async function createRateLimiter(opts: RateLimiterOptions): Promise<RateLimiter> {
  const { log, redisTimeoutMs } = opts;
  let budgets = opts.budgets;
  const memory = createMemoryStore();
  let client: RedisClient | undefined;
  let redis: BucketStore | undefined;
  let probe: NodeJS.Timeout | undefined;
  let probing = false;

  function useMemory(err: unknown): void {
    if (probe) return;
    log.warn({ err }, "rate limits: Redis does not answer; each gateway instance counts on its own until it does");
    probe = setInterval(() => void tryRedis(), opts.probeIntervalMs ?? 1000);
    probe.unref();
  }

  async function tryRedis(): Promise<void> {
    if (probing || !client?.isReady) return;
    probing = true;
    try {
      await withTimeout(client.ping(), redisTimeoutMs);
      clearInterval(probe);
      probe = undefined;
      log.info("rate limits: Redis answers again; budgets are shared by every gateway instance");
    } catch {
      // Still failing: the next probe tries again.
    } finally {
      probing = false;
    }
  }

  if (opts.redisUrl) {
    client = createClient({
      url: opts.redisUrl,
      // A request must never wait for a connection: without one it is counted in memory.
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
    });
    // Every failed reconnect is an error event; the switch to memory is what gets logged.
    client.on("error", (err: unknown) => log.debug({ err }, "rate limits: Redis connection error"));
    redis = createRedisStore(client);
    const connected = await withTimeout(client.connect(), 2000).then(
      () => true,
      (err: unknown) => {
        useMemory(err);
        return false;
      },
    );
    if (connected) log.info("rate limits: budgets are shared by every gateway instance in Redis");
  } else {
    log.info("rate limits: no REDIS_URL; each gateway instance counts on its own (in memory)");
  }

  async function take(buckets: Bucket[], now: number): Promise<Verdict> {
    if (redis && !probe) {
      try {
        return await withTimeout(redis.take(buckets, now), redisTimeoutMs);
      } catch (err) {
        useMemory(err);
      }
    }
    return memory.take(buckets, now);
  }

  return {
    async check(routeClass, subjects) {
      const applied = subjects.flatMap((s) => {
        const budget = budgets[routeClass][s.kind];
        return budget ? [{ kind: s.kind, budget, key: `${KEY_PREFIX}${routeClass}:${s.kind}:${s.id}` }] : [];
      });
      if (applied.length === 0) return { allowed: true, budgets: [] };
      const verdict = await take(applied, opts.now().getTime());
      return {
        allowed: verdict.allowed,
        budgets: applied.map((a, i) => ({ routeClass, kind: a.kind, budget: a.budget, state: verdict.states[i]! })),
      };
    },
    shared: () => redis !== undefined && probe === undefined,
    setBudgets(next) {
      budgets = next;
    },
    async close() {
      clearInterval(probe);
      // Nothing is waiting on Redis at close that matters; a stalled server must not hold it up.
      if (client?.isOpen) client.destroy();
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
