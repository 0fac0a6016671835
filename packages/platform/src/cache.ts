import type { Logger } from "pino";
import { createClient } from "redis";
import { createLru } from "./lru.js";

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
  /** Forgets keys (exactly) and key prefixes (ending in `*`), here and in every other instance. */
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
}

type Redis = ReturnType<typeof createClient>;

/**
 * Creates a cache. With Redis, invalidations are published on a channel that every instance
 * subscribes to, so each drops its local copies too.
 */
export async function createCache(opts: CacheOptions): Promise<Cache> {
  const local = createLru<unknown>(opts.localMax ?? 10_000);
  const localTtl = opts.localTtlMs ?? 5_000;
  const prefix = `triphub:${opts.name}:`;
  const channel = `${prefix}invalidate`;
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
    redis = createClient({ url: opts.redisUrl, socket: { reconnectStrategy: (retries: number) => Math.min(retries * 100, 2_000) } });
    redis.on("error", (err: unknown) => opts.log.warn({ err }, "redis cache error"));
    sub = redis.duplicate();
    sub.on("error", (err: unknown) => opts.log.warn({ err }, "redis cache subscriber error"));
    await Promise.all([redis.connect(), sub.connect()]);
    await sub.subscribe(channel, (message: string) => {
      for (const key of JSON.parse(message) as string[]) dropLocal(key);
    });
  }

  const fromRedis = async (key: string): Promise<string | undefined> => {
    if (!redis?.isReady) return undefined;
    try {
      return (await redis.get(prefix + key)) ?? undefined;
    } catch (err) {
      opts.log.warn({ err }, "redis cache read failed");
      return undefined;
    }
  };

  return {
    async wrap<T>(key: string, ttlMs: number, load: () => Promise<T>, codec = JSON_CODEC as CacheCodec<T>): Promise<T> {
      const hit = local.get(key);
      if (hit !== undefined) return hit as T;
      let pending = inflight.get(key) as Promise<T> | undefined;
      if (pending === undefined) {
        const started = epoch;
        pending = (async () => {
          const shared = await fromRedis(key);
          const value = shared === undefined ? await load() : codec.decode(shared);
          if (epoch === started) {
            local.set(key, value, Math.min(ttlMs, localTtl));
            if (shared === undefined && redis?.isReady) {
              await redis.set(prefix + key, codec.encode(value), { PX: ttlMs }).catch((err: unknown) => opts.log.warn({ err }, "redis cache write failed"));
            }
          }
          return value;
        })();
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
        const exact = keys.filter((k) => !k.endsWith("*")).map((k) => prefix + k);
        if (exact.length > 0) await redis.del(exact);
        for (const pattern of keys.filter((k) => k.endsWith("*"))) {
          for await (const batch of redis.scanIterator({ MATCH: prefix + pattern, COUNT: 500 })) {
            if (batch.length > 0) await redis.del(batch);
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
