import { createHash } from "node:crypto";
import type { createClient } from "redis";
import { GCRA_SCRIPT } from "./gcra.js";
import type { BucketStore } from "./memory-store.js";

/** The node-redis client the gateway counts with. */
export type RedisClient = ReturnType<typeof createClient>;

const SHA = createHash("sha1").update(GCRA_SCRIPT).digest("hex");

/**
 * Buckets in Redis, shared by every gateway instance: one EVALSHA per request checks and counts
 * all of its buckets atomically. A Redis that lost its scripts (restarted) is sent the script
 * itself once (EVAL caches it again).
 */
export function createRedisStore(client: RedisClient): BucketStore {
  return {
    async take(buckets, now) {
      const keys = buckets.map((b) => b.key);
      const args = [String(now), ...buckets.flatMap((b) => [String(b.budget.periodMs / b.budget.limit), String(b.budget.periodMs)])];
      let reply: unknown;
      try {
        reply = await client.evalSha(SHA, { keys, arguments: args });
      } catch (e) {
        if (!(e instanceof Error && e.message.startsWith("NOSCRIPT"))) throw e;
        reply = await client.eval(GCRA_SCRIPT, { keys, arguments: args });
      }
      if (!Array.isArray(reply) || reply.length !== 1 + 3 * buckets.length) throw new Error("unexpected reply from the rate-limit script");
      const n = reply.map(Number);
      return {
        allowed: n[0] === 1,
        states: buckets.map((_, i) => ({ remaining: n[1 + 3 * i]!, resetMs: n[2 + 3 * i]!, retryMs: n[3 + 3 * i]! })),
      };
    },
  };
}
