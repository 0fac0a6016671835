import type { Logger } from "pino";
import { createClient } from "redis";
import { createLru } from "./lru.js";

/**
 * A read-through cache for hot reads: a local LRU in front of an optional shared Redis. Redis is
 * never the source of truth: any Redis failure is logged and the value is loaded again. Values
 * must be JSON-serialisable.
 */
export interface Cache {
  /** The cached value of `key`, else `load()`'s (stored for `ttlMs`). */
  wrap<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
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
  const local = createLru<string>(opts.localMax ?? 10_000);
  const localTtl = opts.localTtlMs ?? 5_000;
  const prefix = `triphub:${opts.name}:`;
  const channel = `${prefix}invalidate`;
  let redis: Redis | undefined;
  let sub: Redis | undefined;
  const dropLocal = (key: string) => (key.endsWith("*") ? local.deletePrefix(key.slice(0, -1)) : local.delete(key));

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
    async wrap<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const hit = local.get(key) ?? (await fromRedis(key));
      if (hit !== undefined) {
        local.set(key, hit, Math.min(ttlMs, localTtl));
        return JSON.parse(hit) as T;
      }
      const value = await load();
      const json = JSON.stringify(value);
      local.set(key, json, Math.min(ttlMs, localTtl));
      if (redis?.isReady) await redis.set(prefix + key, json, { PX: ttlMs }).catch((err: unknown) => opts.log.warn({ err }, "redis cache write failed"));
      return value;
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
