// The Lua script in Redis and the in-memory fallback must count alike: the fallback promises
// "the same budgets". Both run one scripted sequence of requests and clock moves and must give
// the same answers, which are also checked against what the budgets mean.
import { redisUrl } from "@triphub/testkit";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bucket, Verdict } from "../../src/rate-limit/gcra.js";
import { type BucketStore, createMemoryStore } from "../../src/rate-limit/memory-store.js";
import { createRedisStore, type RedisClient } from "../../src/rate-limit/redis-store.js";

let client: RedisClient;
beforeAll(async () => {
  client = createClient({ url: redisUrl() });
  await client.connect();
});
afterAll(async () => {
  await client?.quit();
});

const prefix = `bucket-stores:${process.pid}:${Date.now()}`;
const bucket = (name: string, limit: number, periodMs: number): Bucket => ({ key: `${prefix}:${name}`, budget: { limit, periodMs } });

async function run(store: BucketStore, ns: string): Promise<Verdict[]> {
  const seven = { ...bucket(`${ns}:seven`, 7, 60_000) };
  const three = { ...bucket(`${ns}:three`, 3, 3_600_000) };
  const t0 = 1_750_000_000_000;
  const out: Verdict[] = [];
  // Eight at once against 7/min: seven pass, the eighth is refused.
  for (let i = 0; i < 8; i++) out.push(await store.take([seven], t0));
  // One interval later (60000/7 ms) exactly one more passes.
  out.push(await store.take([seven], t0 + 60_000 / 7));
  out.push(await store.take([seven], t0 + 60_000 / 7));
  // Two buckets at once: refused by one, counted in neither.
  for (let i = 0; i < 3; i++) out.push(await store.take([three], t0));
  out.push(await store.take([bucket(`${ns}:fresh`, 5, 60_000), three], t0));
  out.push(await store.take([bucket(`${ns}:fresh`, 5, 60_000)], t0));
  // A whole period later everything is full again.
  out.push(await store.take([seven, three], t0 + 3_600_000));
  return out;
}

describe("the Redis script and the in-memory store", () => {
  it("give the same answers, which are what the budgets say", async () => {
    const redis = await run(createRedisStore(client), "redis");
    const memory = await run(createMemoryStore(), "memory");
    expect(redis).toEqual(memory);
    expect(memory.map((v) => v.allowed)).toEqual([true, true, true, true, true, true, true, false, true, false, true, true, true, false, true, true]);
    expect(memory[0]!.states[0]).toEqual({ remaining: 6, resetMs: 8572, retryMs: 0 });
    expect(memory[6]!.states[0]).toEqual({ remaining: 0, resetMs: 60_000, retryMs: 0 });
    expect(memory[7]!.states[0]).toEqual({ remaining: 0, resetMs: 60_000, retryMs: 8572 });
    // Refused by `three`, so `fresh` was not counted: it still has all 5 (4 after the next).
    expect(memory[13]!.states).toEqual([
      { remaining: 5, resetMs: 0, retryMs: 0 },
      { remaining: 0, resetMs: 3_600_000, retryMs: 1_200_000 },
    ]);
    expect(memory[14]!.states[0]!.remaining).toBe(4);
    expect(memory[15]!.states.map((s) => s.remaining)).toEqual([6, 2]);
  });

  it("keeps a bucket in Redis only while it is not full again", async () => {
    const b = bucket("ttl", 2, 10_000);
    await createRedisStore(client).take([b], Date.now());
    const ttl = await client.pTTL(b.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });
});
