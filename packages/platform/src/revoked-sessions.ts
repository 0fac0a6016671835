import type { Logger } from "pino";
import { createClient } from "redis";
import { traceRedis } from "./tracing/redis-spans.js";

/**
 * The shared list of ended sessions (the `sid` of access tokens) in Redis: auth writes it when a
 * session ends (logout, password change, refresh-token reuse), the gateway reads it on every
 * authenticated request, so an access token stops working within seconds instead of at expiry.
 *
 * Redis is never the source of truth: auth's database is (a revoked refresh-token family), and
 * auth copies what the database says into Redis. The list is trusted only while its `complete`
 * marker exists; auth sets it after copying every session ended within an access-token lifetime,
 * so a Redis that lost its data (a restart, a flush) or that auth never wrote to reads as
 * "cannot tell" and readers ask auth instead, never as "nobody was revoked".
 */
export interface RevokedSessions {
  /** Records `sessionIds` as ended for `ttlMs` (an access token's lifetime); throws when Redis cannot take it. */
  record(sessionIds: readonly string[], ttlMs: number): Promise<void>;
  /** Marks the list complete (every session ended in the last access-token lifetime is in it). */
  markComplete(): Promise<void>;
  /**
   * Whether `sessionId` ended: true or false when the list is complete, undefined when Redis
   * cannot tell (down, slow, or the list is not known to be complete).
   */
  isRevoked(sessionId: string): Promise<boolean | undefined>;
  /** Registers a callback for each (re)connection: what was written while Redis was away is not in it. */
  onReady(listener: () => void): void;
  readonly ready: boolean;
  close(): Promise<void>;
}

/** Options of {@link connectRevokedSessions}. */
export interface RevokedSessionsOptions {
  /** The Redis shared by auth and every gateway instance. */
  url: string;
  log: Logger;
  /** Longest a read or write may take before it counts as a failure (default 250 ms). */
  timeoutMs?: number;
}

const PREFIX = "triphub:revoked-session:";
const COMPLETE = "triphub:revoked-sessions#complete";

/**
 * Connects to the revocation list in Redis without waiting for the connection: until Redis
 * answers, every read is undefined ("cannot tell") and every write throws, and reconnection is
 * retried in the background.
 */
export function connectRevokedSessions(opts: RevokedSessionsOptions): RevokedSessions {
  const timeoutMs = opts.timeoutMs ?? 250;
  const redis = traceRedis(
    createClient({
      url: opts.url,
      // Fail at once while disconnected instead of queueing: a queued check would hold the request.
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
    }),
  );
  let quietUntil = 0;
  redis.on("error", (err: unknown) => {
    // A Redis that is down reports every reconnect attempt; once in a while is enough.
    if (Date.now() < quietUntil) return;
    quietUntil = Date.now() + 10_000;
    opts.log.warn({ err }, "revoked-sessions redis error (repeats muted for 10 s)");
  });
  redis.connect().catch(() => {
    // Reported by the error listener; the client keeps reconnecting.
  });
  const bounded = <T>(command: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
  };
  return {
    async record(sessionIds, ttlMs) {
      if (sessionIds.length === 0) return;
      if (!redis.isReady) throw new Error("redis is not connected");
      const batch = redis.multi();
      for (const id of sessionIds) batch.set(PREFIX + id, "1", { expiration: { type: "PX", value: ttlMs } });
      await bounded(batch.exec());
    },
    async markComplete() {
      if (!redis.isReady) throw new Error("redis is not connected");
      await bounded(redis.set(COMPLETE, "1"));
    },
    async isRevoked(sessionId) {
      if (!redis.isReady) return undefined;
      try {
        const [complete, revoked] = await bounded(redis.mGet([COMPLETE, PREFIX + sessionId]));
        if (complete === null || complete === undefined) return undefined;
        return revoked !== null && revoked !== undefined;
      } catch (err) {
        opts.log.warn({ err }, "revoked-sessions read failed");
        return undefined;
      }
    },
    onReady(listener) {
      redis.on("ready", listener);
    },
    get ready() {
      return redis.isReady;
    },
    async close() {
      // QUIT needs an answer: a Redis that is down (or reconnecting) would never give one. A
      // QUIT that failed may have closed the client already, and destroying it again throws.
      const destroy = () => {
        if (redis.isOpen) redis.destroy();
      };
      if (!redis.isReady) return destroy();
      await bounded(redis.quit()).catch(destroy);
    },
  };
}
