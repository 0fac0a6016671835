import { redisUrl } from "@triphub/testkit";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cache, createCache, createLogger } from "../src/index.js";
import { createLru } from "../src/lru.js";

const log = createLogger({ service: "cache-test", level: "silent" });
const opened: Cache[] = [];
const open = async (redis: boolean, name = `t${Math.random().toString(36).slice(2, 8)}`, groups?: string[]) => {
  const c = await createCache({ name, redisUrl: redis ? redisUrl() : undefined, log, groups });
  opened.push(c);
  return c;
};
// Two instances of one cache, as two processes would open it.
const pair = async (groups: string[]) => {
  const name = `g${Math.random().toString(36).slice(2, 8)}`;
  return { name, a: await open(true, name, groups), b: await open(true, name, groups) };
};
// Looks at Redis directly, to see what the cache leaves there.
let probe: ReturnType<typeof createClient>;
beforeAll(async () => {
  probe = createClient({ url: redisUrl() });
  await probe.connect();
});
afterAll(() => Promise.all([...opened.map((c) => c.close()), probe.quit()]));

const counter = () => {
  let n = 0;
  return { load: async () => ({ n: ++n }), calls: () => n };
};

describe("LRU", () => {
  it("forgets the least recently used entry first and expired entries", () => {
    let t = 0;
    const lru = createLru<number>(2, () => t);
    lru.set("a", 1, 100);
    lru.set("b", 2, 100);
    lru.get("a");
    lru.set("c", 3, 100);
    expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([1, undefined, 3]);
    t = 200;
    expect(lru.get("a")).toBeUndefined();
  });
});

describe("cache", () => {
  it("loads once and serves repeats locally, without Redis", async () => {
    const cache = await open(false);
    const c = counter();
    expect(await cache.wrap("k", 60_000, c.load)).toEqual({ n: 1 });
    expect(await cache.wrap("k", 60_000, c.load)).toEqual({ n: 1 });
    expect(c.calls()).toBe(1);
    await cache.invalidate("k");
    expect(await cache.wrap("k", 60_000, c.load)).toEqual({ n: 2 });
  });

  it("shares one load among concurrent misses of a key", async () => {
    const cache = await open(false);
    let calls = 0;
    const slow = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: calls };
    };
    const got = await Promise.all(Array.from({ length: 10 }, () => cache.wrap("hot", 60_000, slow)));
    expect(got).toEqual(Array.from({ length: 10 }, () => ({ n: 1 })));
    expect(calls).toBe(1);
  });

  it("does not keep a value whose load an invalidation overtook", async () => {
    const cache = await open(true);
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const c = counter();
    const early = cache.wrap("search:seoul", 60_000, async () => {
      await gate;
      return c.load();
    });
    await cache.invalidate("search:*");
    release();
    expect(await early).toEqual({ n: 1 });
    // The write came after that load began, so the next read loads again.
    expect(await cache.wrap("search:seoul", 60_000, c.load)).toEqual({ n: 2 });
  });

  it("shares values between instances through Redis and invalidates everywhere", async () => {
    const name = `shared${Date.now()}`;
    const [a, b] = [await open(true, name), await open(true, name)];
    const c = counter();
    await a.wrap("property:1", 60_000, c.load);
    expect(await b.wrap("property:1", 60_000, c.load)).toEqual({ n: 1 });
    expect(c.calls()).toBe(1);
    await a.invalidate("property:1");
    // b dropped its local copy when the invalidation arrived, and Redis no longer has it.
    await expect.poll(async () => (await b.wrap("property:1", 60_000, c.load)).n).toBe(2);
  });

  it("keeps values as they are locally and encodes them with the given codec for Redis", async () => {
    const name = `codec${Date.now()}`;
    const [a, b] = [await open(true, name), await open(true, name)];
    const codec = { encode: (v: Set<string>) => [...v].join(","), decode: (t: string) => new Set(t.split(",")) };
    const value = new Set(["seoul", "busan"]);
    expect(await a.wrap("set", 60_000, async () => value, codec)).toBe(value);
    expect(await a.wrap("set", 60_000, async () => new Set<string>(), codec)).toBe(value);
    // The other instance has no local copy: it reads Redis and decodes.
    expect(await b.wrap("set", 60_000, async () => new Set<string>(), codec)).toEqual(value);
  });

  it("invalidates by prefix", async () => {
    const cache = await open(true);
    const c = counter();
    await cache.wrap("search:seoul:p1", 60_000, c.load);
    await cache.wrap("search:seoul:p2", 60_000, c.load);
    await cache.invalidate("search:*");
    await cache.wrap("search:seoul:p1", 60_000, c.load);
    expect(c.calls()).toBe(3);
  });

  it("keeps working when Redis goes away", async () => {
    const cache = await open(true);
    await cache.close();
    const c = counter();
    expect(await cache.wrap("k", 60_000, c.load)).toEqual({ n: 1 });
  });
});

describe("cache groups", () => {
  it("makes every instance miss a group's keys after the group is invalidated, and keeps other keys", async () => {
    const { a, b } = await pair(["search:"]);
    const c = counter();
    await a.wrap("search:seoul", 60_000, c.load);
    await a.wrap("property:1", 60_000, c.load);
    expect(await b.wrap("search:seoul", 60_000, c.load)).toEqual({ n: 1 });
    expect(await b.wrap("property:1", 60_000, c.load)).toEqual({ n: 2 });
    await a.invalidate("search:*");
    // Once b drops its local copy, Redis must not hand the old page back either.
    await expect.poll(async () => (await b.wrap("search:seoul", 60_000, c.load)).n).toBe(3);
    expect(await b.wrap("property:1", 60_000, c.load)).toEqual({ n: 2 });
    expect(c.calls()).toBe(3);
  });

  it("invalidates a group with a few commands and no SCAN, however many entries it holds", async () => {
    const { name, a, b } = await pair(["search:"]);
    const keys = Array.from({ length: 2_000 }, (_, i) => `search:p${i}`);
    await Promise.all(keys.map((k) => a.wrap(k, 60_000, async () => "old")));
    const monitor = probe.duplicate();
    await monitor.connect();
    const commands: string[] = [];
    try {
      await monitor.monitor((line) => {
        if (line.includes(name)) commands.push(/\] "(\w+)"/.exec(line)?.[1]?.toUpperCase() ?? line);
      });
      await a.invalidate("search:*");
      // MONITOR lists commands in the order Redis ran them: once this shows, the invalidation's have.
      await probe.echo(`${name}:done`);
      await expect.poll(() => commands.at(-1)).toBe("ECHO");
    } finally {
      monitor.destroy();
    }
    expect(commands).not.toContain("SCAN");
    expect(commands.length).toBeLessThanOrEqual(4);
    // The entries stay until their TTL, but no instance serves them.
    expect(await probe.exists(keys.map((k) => `triphub:${name}:${k}`))).toBe(2_000);
    expect(await b.wrap("search:p7", 60_000, async () => "new")).toBe("new");
    expect(await a.wrap("search:p8", 60_000, async () => "new")).toBe("new");
  });

  it("never serves another instance a load that a group invalidation overtook", async () => {
    const { name, a, b } = await pair(["search:"]);
    const c = counter();
    let begun = () => {};
    let release = () => {};
    const loading = new Promise<void>((r) => {
      begun = r;
    });
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const early = a.wrap("search:seoul", 60_000, async () => {
      begun();
      await gate;
      return c.load();
    });
    await loading;
    // What another instance's invalidate does in Redis, with its broadcast not yet at a (late or
    // lost): only the generation can keep a's load, which may predate the write, from b.
    await probe.incr(`triphub:${name}#gen:search:`);
    release();
    expect(await early).toEqual({ n: 1 });
    expect(await probe.exists(`triphub:${name}:search:seoul`)).toBe(1);
    expect(await b.wrap("search:seoul", 60_000, c.load)).toEqual({ n: 2 });
  });

  it("invalidates a nested group with the group around it", async () => {
    const { a, b } = await pair(["search:", "search:hot:"]);
    const c = counter();
    await a.wrap("search:hot:seoul", 60_000, c.load);
    await a.invalidate("search:*");
    expect(await b.wrap("search:hot:seoul", 60_000, c.load)).toEqual({ n: 2 });
  });

  it("invalidates a prefix that is no group by scanning Redis", async () => {
    const { name, a, b } = await pair(["search:"]);
    const c = counter();
    await a.wrap("property:1:details", 60_000, c.load);
    await a.wrap("search:seoul:p1", 60_000, c.load);
    await a.wrap("search:busan:p1", 60_000, c.load);
    await a.invalidate("property:1:*", "search:seoul*");
    expect(await probe.exists([`triphub:${name}:property:1:details`, `triphub:${name}:search:seoul:p1`])).toBe(0);
    expect(await b.wrap("property:1:details", 60_000, c.load)).toEqual({ n: 4 });
    expect(await b.wrap("search:seoul:p1", 60_000, c.load)).toEqual({ n: 5 });
    expect(await b.wrap("search:busan:p1", 60_000, c.load)).toEqual({ n: 3 });
  });
});
