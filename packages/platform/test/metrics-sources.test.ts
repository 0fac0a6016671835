import { fileURLToPath } from "node:url";
import { databaseUrl, freshDatabase, type MetricsPage, parseMetrics, serverUrl } from "@triphub/testkit";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import pino from "pino";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { appendToOutbox, consumeEvents, createEventFeed, createEventStore, type EventDb, followEvents, writeTransaction } from "../src/events/index.js";
import { createCache, createLogger, createPeriodicJob, metricsRegistry, openDatabase } from "../src/index.js";

// The metrics each part of the chassis reports, read from the registry /metrics serves (the
// endpoint itself is covered in metrics.test.ts).
const scrape = async (): Promise<MetricsPage> => parseMetrics(await metricsRegistry.metrics());
const log = createLogger({ service: "test", level: "silent" });

describe("database pool metrics", () => {
  it("reports the pool's size and the statements running on it, and forgets a closed pool", async () => {
    const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
    const name = `metrics_${Math.random().toString(36).slice(2, 10)}`;
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));
    const database = await openDatabase({ url: databaseUrl(serverUrl(), name), migrationsFolder, log, max: 3, name: "pooltest" });
    const pool = { pool: "pooltest" };
    const before = await scrape();
    expect(before.sum("triphub_db_pool_max_connections", pool)).toBe(3);

    const slow = [database.sql`select pg_sleep(0.6)`, database.db.execute(sql`select pg_sleep(0.6)`)].map((q) => Promise.resolve(q));
    await expect.poll(async () => (await scrape()).sum("triphub_db_queries_active", pool), { timeout: 5_000 }).toBe(2);
    await Promise.all(slow);
    const after = await scrape();
    expect(after.sum("triphub_db_queries_active", pool)).toBe(0);
    expect(after.sum("triphub_db_queries_total", pool) - before.sum("triphub_db_queries_total", pool)).toBeGreaterThanOrEqual(2);

    await database.close();
    expect((await scrape()).samples.filter((s) => s.name === "triphub_db_pool_max_connections" && s.labels.pool === "pooltest")).toEqual([]);
  });
});

describe("cache metrics", () => {
  it("counts misses and local hits by cache", async () => {
    const cache = await createCache({ name: "metricstest", log });
    const labels = (result: string) => ({ cache: "metricstest", result });
    await cache.wrap("k", 60_000, async () => 1);
    await cache.wrap("k", 60_000, async () => 2);
    await cache.wrap("k", 60_000, async () => 3);
    const page = await scrape();
    expect(page.sum("triphub_cache_requests_total", labels("miss"))).toBe(1);
    expect(page.sum("triphub_cache_requests_total", labels("local_hit"))).toBe(2);
    await cache.close();
  });
});

describe("periodic job metrics", () => {
  it("counts runs by outcome and stamps the last success", async () => {
    let fail = false;
    const job = createPeriodicJob({
      name: "metrics test job",
      intervalMs: 10,
      log,
      run: async () => {
        if (fail) throw new Error("boom");
      },
    });
    const startedAt = Date.now() / 1000;
    job.start();
    const task = { task: "metrics test job" };
    await expect.poll(async () => (await scrape()).sum("triphub_periodic_job_runs_total", { ...task, outcome: "success" })).toBeGreaterThan(0);
    fail = true;
    await expect.poll(async () => (await scrape()).sum("triphub_periodic_job_runs_total", { ...task, outcome: "failure" })).toBeGreaterThan(0);
    await job.stop();
    const stamp = (await scrape()).sum("triphub_periodic_job_last_success_timestamp_seconds", task);
    expect(stamp).toBeGreaterThanOrEqual(Math.floor(startedAt));
    expect(stamp).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });
});

describe("outbox and consumer metrics", () => {
  const events = { table: "events", channel: "metrics_test_events" };
  const TYPE = "test.v1.Ticked";
  const entry = (streamId = "c1") => ({ streamType: "clock", streamId, type: TYPE, payload: new Uint8Array([1]) });

  async function setUp() {
    const migrationsFolder = fileURLToPath(new URL("./fixtures/consumer-migrations", import.meta.url));
    const client = postgres(await freshDatabase({ migrationsFolder, name: "metrics_events" }), { max: 10, onnotice: () => {} });
    const db: EventDb = drizzle(client);
    const feed = createEventFeed({ sql: client, log: pino({ level: "silent" }), channel: events.channel });
    const store = createEventStore(db, events);
    const produce = (n: number) => Promise.all(Array.from({ length: n }, () => writeTransaction(db, (tx) => appendToOutbox(tx, events, [entry()]))));
    const head = async () => BigInt((await db.execute<{ p: string }>(sql`select coalesce(max(position), 0)::text as p from events`))[0].p);
    return { client, db, feed, store, produce, head };
  }

  it("reports what a feed published and how far behind and how silent its consumer is", async () => {
    const { client, db, feed, store, produce, head } = await setUp();
    await produce(3);
    const before = await scrape();
    const consumer = consumeEvents({
      name: "metricsfeed",
      db,
      log: pino({ level: "silent" }),
      open: (req, signal) => followEvents({ events: store, feed, pollMs: 20, heartbeatMs: 100 }, { ...req, batchSize: 2, stopAtHead: false }, signal),
      handle: async () => {},
    });
    await consumer.waitFor(await head(), AbortSignal.timeout(10_000));
    // Caught up, then live: these are delivered as they commit.
    await produce(2);
    await consumer.waitFor(await head(), AbortSignal.timeout(10_000));

    const feedLabel = { feed: "metricsfeed" };
    await expect.poll(async () => (await scrape()).sum("triphub_event_consumer_events_total", feedLabel) - before.sum("triphub_event_consumer_events_total", feedLabel)).toBe(5);
    const page = await scrape();
    expect(page.sum("triphub_event_consumer_connected", feedLabel)).toBe(1);
    expect(page.sum("triphub_event_consumer_lag_seconds", feedLabel)).toBeLessThan(30);
    expect(page.sum("triphub_event_consumer_silence_seconds", feedLabel)).toBeLessThan(30);
    const outbox = { feed: events.channel };
    expect(page.sum("triphub_outbox_events_published_total", outbox) - before.sum("triphub_outbox_events_published_total", outbox)).toBe(5);
    // Only the two events that came after the follower caught up count as the outbox's delay.
    expect(page.sum("triphub_outbox_publish_delay_seconds_count", outbox) - before.sum("triphub_outbox_publish_delay_seconds_count", outbox)).toBe(2);

    await consumer.stop();
    expect((await scrape()).samples.filter((s) => s.name === "triphub_event_consumer_connected" && s.labels.feed === "metricsfeed")).toEqual([]);
    await feed.close();
    await client.end();
  });

  it("reports how long committed events wait behind a transaction still running", async () => {
    const { client, db, feed, store, produce } = await setUp();
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let appended = () => {};
    const opened = new Promise<void>((r) => (appended = r));
    // An older transaction that wrote an event and has not committed: what commits after it waits.
    const older = db.transaction(async (tx) => {
      // Its own stream: appends lock their stream until commit.
      await appendToOutbox(tx, events, [entry("older")]);
      appended();
      await gate;
    });
    await opened;
    await produce(1);
    const follower = new AbortController();
    const following = (async () => {
      for await (const _ of followEvents({ events: store, feed, pollMs: 20, heartbeatMs: 100 }, { afterPosition: 0n, types: [], batchSize: 10, stopAtHead: false }, follower.signal)) {
        // keep reading
      }
    })();
    const held = { feed: events.channel };
    await expect.poll(async () => (await scrape()).sum("triphub_outbox_held_back_seconds", held), { timeout: 5_000 }).toBeGreaterThan(0.1);
    release();
    await older;
    await expect.poll(async () => (await scrape()).sum("triphub_outbox_held_back_seconds", held), { timeout: 5_000 }).toBe(0);
    follower.abort();
    await following;
    await feed.close();
    await client.end();
  });
});
