import { randomInt } from "node:crypto";
import type { Logger } from "pino";
import { createClient } from "redis";
import { outsideCall } from "./call-scope.js";
import { createLru } from "./lru.js";
import { metricCounter } from "./metrics/registry.js";
import { traceRedis } from "./tracing/redis-spans.js";

const lookups = metricCounter({
  name: "triphub_cache_requests_total",
  help: "Cache reads by result: local_hit (the in-process LRU), shared_hit (Redis), coalesced (joined a load under way) or miss (loaded).",
  labelNames: ["cache", "result"],
});

/**
 * How a value is written to Redis. The local LRU keeps values as they are, so a local hit
 * returns the very object cached (treat it as read-only) with no decoding at all.
 */
export interface CacheCodec<T> {
  encode(value: T): string;
  decode(text: string): T;
}

const JSON_CODEC: CacheCodec<unknown> = { encode: (v) => JSON.stringify(v), decode: (t) => JSON.parse(t) as unknown };

/**
 * A read-through cache for hot reads: a local LRU in front of an optional shared Redis. Redis is
 * never the source of truth: any Redis failure is logged and the value is loaded again. Values
 * go to Redis as JSON unless `wrap` is given a codec.
 */
export interface Cache {
  /** The cached value of `key`, else `load()`'s (stored for `ttlMs`). Values returned are shared: do not mutate them. */
  wrap<T>(key: string, ttlMs: number, load: () => Promise<T>, codec?: CacheCodec<T>): Promise<T>;
  /**
   * Forgets keys (exactly) and key prefixes (ending in `*`), here and in every other instance. A
   * prefix that is one of the `groups` costs O(1) in Redis; any other prefix SCANs the keyspace.
   */
  invalidate(...keys: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Options for {@link createCache}. */
export interface CacheOptions {
  /** Namespaces keys and the invalidation channel, e.g. "accommodation". */
  name: string;
  /** Shared cache; without it each instance caches locally only. */
  redisUrl?: string;
  log: Logger;
  /** Local LRU size (entries). */
  localMax?: number;
  /** Local entries live at most this long, bounding staleness if an invalidation is missed. */
  localTtlMs?: number;
  /**
   * Key prefixes invalidated wholesale and often, e.g. "search:". A key belongs to the longest
   * group that prefixes it; invalidating `<group>*` then costs O(1) in Redis instead of a SCAN.
   */
  groups?: string[];
}

type Redis = ReturnType<typeof createClient>;

/** What Redis gave for a key: its value if current, and how to frame a load for Redis (none: don't write). */
interface Shared<T> {
  value?: T;
  frame?: (encoded: string) => string;
}

// A counter that vanished (eviction, flush) restarts at a random value, not 0, so it never
// reissues a generation that an entry still alive in Redis was tagged with.
const seed = () => String(randomInt(2 ** 47));

async function startCounter(redis: Redis, counter: string): Promise<string> {
  const [, gen] = await redis.multi().set(counter, seed(), { condition: "NX" }).get(counter).execAsPipeline();
  return String(gen);
}

/**
 * Creates a cache. With Redis, invalidations are published on a channel that every instance
 * subscribes to, so each drops its local copies too.
 */
export async function createCache(opts: CacheOptions): Promise<Cache> {
  const local = createLru<unknown>(opts.localMax ?? 10_000);
  const localTtl = opts.localTtlMs ?? 5_000;
  const prefix = `triphub:${opts.name}:`;
  const channel = `${prefix}invalidate`;
  // Outside the entries' namespace, so no cache key or prefix SCAN can hit a counter.
  const genPrefix = `triphub:${opts.name}#gen:`;
  const groups = [...(opts.groups ?? [])].sort((a, b) => b.length - a.length);
  let redis: Redis | undefined;
  let sub: Redis | undefined;
  // Loads under way, by key: concurrent misses of one key share a load (no stampede on a hot
  // key that just expired). `epoch` moves on every invalidation, so a load that an invalidation
  // overtook is returned to its callers but not stored: it may predate the write.
  const inflight = new Map<string, Promise<unknown>>();
  let epoch = 0;
  const dropLocal = (key: string) => {
    epoch++;
    if (key.endsWith("*")) {
      const start = key.slice(0, -1);
      local.deletePrefix(start);
      for (const k of inflight.keys()) if (k.startsWith(start)) inflight.delete(k);
    } else {
      local.delete(key);
      inflight.delete(key);
    }
  };

  if (opts.redisUrl) {
    redis = traceRedis(createClient({ url: opts.redisUrl, socket: { reconnectStrategy: (retries: number) => Math.min(retries * 100, 2_000) } }));
    redis.on("error", (err: unknown) => opts.log.warn({ err }, "redis cache error"));
    sub = redis.duplicate();
    sub.on("error", (err: unknown) => opts.log.warn({ err }, "redis cache subscriber error"));
    await Promise.all([redis.connect(), sub.connect()]);
    await sub.subscribe(channel, (message: string) => {
      for (const key of JSON.parse(message) as string[]) dropLocal(key);
    });
  }

  // Generations: each group has a counter in Redis, bumped by every invalidation of the group,
  // and a grouped entry is stored as `<generation>\n<encoded>`, tagged with the counter as read
  // BEFORE its load began (in the MGET that found no current entry). A writer commits, then
  // bumps; a reader reads the counter, then loads. So a load that read the counter before a bump
  // may predate the write but carries the old tag, and is never served once the bump landed;
  // a load that read it after sees the write. (Such a stale write may replace a current entry:
  // that costs a miss, never a stale hit.) Entries of old generations are never deleted: their
  // TTL expires them.
  const fromRedis = async <T>(key: string, codec: CacheCodec<T>): Promise<Shared<T>> => {
    if (!redis?.isReady) return {};
    try {
      const group = groups.find((g) => key.startsWith(g));
      if (group === undefined) {
        const text = await redis.get(prefix + key);
        return { value: text === null ? undefined : codec.decode(text), frame: (e) => e };
      }
      const counter = genPrefix + group;
      const [current, entry] = await redis.mGet([counter, prefix + key]);
      const gen = current ?? (await startCounter(redis, counter));
      const cut = entry?.indexOf("\n") ?? -1;
      const text = entry && cut > 0 && entry.slice(0, cut) === gen ? entry.slice(cut + 1) : undefined;
      return { value: text === undefined ? undefined : codec.decode(text), frame: (e) => `${gen}\n${e}` };
    } catch (err) {
      // Includes an entry that does not decode: Redis is a cache, so load it again.
      opts.log.warn({ err }, "redis cache read failed");
      return {};
    }
  };

  return {
    async wrap<T>(key: string, ttlMs: number, load: () => Promise<T>, codec = JSON_CODEC as CacheCodec<T>): Promise<T> {
      const hit = local.get(key);
      if (hit !== undefined) {
        lookups.inc({ cache: opts.name, result: "local_hit" });
        return hit as T;
      }
      let pending = inflight.get(key) as Promise<T> | undefined;
      if (pending !== undefined) lookups.inc({ cache: opts.name, result: "coalesced" });
      if (pending === undefined) {
        const started = epoch;
        // Concurrent callers share this load: it must not be cancelled when the first one leaves.
        pending = outsideCall(async () => {
          const shared = await fromRedis(key, codec);
          lookups.inc({ cache: opts.name, result: shared.value !== undefined ? "shared_hit" : "miss" });
          const value = shared.value !== undefined ? shared.value : await load();
          if (epoch === started) {
            local.set(key, value, Math.min(ttlMs, localTtl));
            if (shared.value === undefined && shared.frame && redis?.isReady) {
              await redis
                .set(prefix + key, shared.frame(codec.encode(value)), { expiration: { type: "PX", value: ttlMs } })
                .catch((err: unknown) => opts.log.warn({ err }, "redis cache write failed"));
            }
          }
          return value;
        });
        const mine = pending;
        inflight.set(key, mine);
        void mine.finally(() => inflight.get(key) === mine && inflight.delete(key)).catch(() => {});
      }
      return pending;
    },
    async invalidate(...keys) {
      for (const key of keys) dropLocal(key);
      if (!redis?.isReady) return;
      try {
        const starts = keys.filter((k) => k.endsWith("*")).map((k) => k.slice(0, -1));
        const exact = keys.filter((k) => !k.endsWith("*")).map((k) => prefix + k);
        const batch = redis.multi();
        // Every group a prefix covers, nested ones too (their keys match the prefix as well).
        for (const g of groups.filter((g) => starts.some((s) => g.startsWith(s)))) {
          batch.set(genPrefix + g, seed(), { condition: "NX" }).incr(genPrefix + g);
        }
        if (exact.length > 0) batch.del(exact);
        await batch.execAsPipeline();
        // Not a group: O(keyspace), and a load it overtook on another instance may still be stored.
        for (const start of starts.filter((s) => !groups.includes(s))) {
          const match = `${(prefix + start).replace(/[*?[\]\\]/g, "\\$&")}*`;
          for await (const found of redis.scanIterator({ MATCH: match, COUNT: 500 })) {
            if (found.length > 0) await redis.del(found);
          }
        }
        await redis.publish(channel, JSON.stringify(keys));
      } catch (err) {
        opts.log.warn({ err }, "redis cache invalidation failed");
      }
    },
    async close() {
      await Promise.allSettled([sub?.quit(), redis?.quit()]);
    },
  };
}
