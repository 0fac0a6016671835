import { fileURLToPath } from "node:url";
import { freshDatabase } from "@triphub/testkit";
import { sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/postgres-js";
import pino from "pino";
import postgres from "postgres";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  appendToOutbox,
  type ConsumeEventsOptions,
  consumeEvents,
  createEventFeed,
  createEventStore,
  type EventBatch,
  type EventConsumer,
  type EventDb,
  type EventFeed,
  type EventStreamRequest,
  eventCursorsTable,
  followEvents,
  writeTransaction,
} from "../src/events/index.js";

// The producer is the real toolkit: the outbox on PostgreSQL and followEvents over it, the same
// generator a service's StreamEvents returns, read in small batches. The consumer's database is
// the same one here (its cursor and an `applied` table), which changes nothing for either side.
const migrationsFolder = fileURLToPath(new URL("./fixtures/consumer-migrations", import.meta.url));
const log = { table: "events", channel: "consumer_test_events" };
const TYPE = "test.v1.Ticked";
const BATCH = 7;

let client: postgres.Sql;
let db: EventDb;
let feed: EventFeed;
let logs: { level: number; msg: string; err?: { message?: string }; position?: string }[];
const running: EventConsumer[] = [];

beforeEach(async () => {
  client = postgres(await freshDatabase({ migrationsFolder, name: "consume_events" }), { max: 10, onnotice: () => {} });
  db = drizzle(client);
  feed = createEventFeed({ sql: client, log: pino({ level: "silent" }), channel: log.channel });
  logs = [];
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
  await feed.close();
  await client.end();
});

/** Appends `n` events, one transaction each unless `together`; returns the last position. */
async function produce(n: number, together = false): Promise<bigint> {
  const entry = (i: number) => ({ streamType: "clock", streamId: `c${i % 3}`, type: TYPE, payload: new Uint8Array([i % 256]) });
  if (together) await writeTransaction(db, (tx) => appendToOutbox(tx, log, Array.from({ length: n }, (_, i) => entry(i))));
  else for (let i = 0; i < n; i++) await writeTransaction(db, (tx) => appendToOutbox(tx, log, [entry(i)]));
  return head();
}

async function head(): Promise<bigint> {
  const [row] = await db.execute<{ p: string }>(sql`select coalesce(max(position), 0)::text as p from events`);
  return BigInt(row.p);
}

async function outboxPositions(): Promise<string[]> {
  return (await db.execute<{ p: string }>(sql`select position::text as p from events order by position`)).map((r) => r.p);
}

/** Positions the handler applied, in the order it applied them (duplicates included). */
async function appliedPositions(): Promise<string[]> {
  return (await db.execute<{ p: string }>(sql`select position::text as p from applied order by seq`)).map((r) => r.p);
}

async function cursorOf(name: string): Promise<string | undefined> {
  const [row] = await db.execute<{ p: string }>(sql`select position::text as p from event_cursors where consumer = ${name}`);
  return row?.p;
}

const stream = (req: EventStreamRequest, signal: AbortSignal): AsyncIterable<EventBatch> =>
  followEvents({ events: createEventStore(db, log), feed, pollMs: 20, heartbeatMs: 200 }, { ...req, batchSize: BATCH, stopAtHead: false }, signal);

const logger = () =>
  pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) });

function start(overrides: Partial<ConsumeEventsOptions> = {}): EventConsumer {
  const c = consumeEvents({
    name: "clock",
    db,
    open: stream,
    types: [TYPE],
    log: logger(),
    retry: { initialMs: 5, maxMs: 40 },
    handle: (tx, e) => tx.execute(sql`insert into applied (position, event_id) values (${e.position.toString()}::bigint, ${e.eventId}::uuid)`).then(() => undefined),
    ...overrides,
  });
  running.push(c);
  return c;
}

const within = () => AbortSignal.timeout(15_000);

describe("eventCursorsTable", () => {
  it("describes the table the consumer writes", async () => {
    const config = getTableConfig(eventCursorsTable());
    const columns = await db.execute<{ column_name: string }>(
      sql`select column_name from information_schema.columns where table_name = 'event_cursors' order by column_name`,
    );
    expect(config.columns.map((c) => c.name).sort()).toEqual(columns.map((c) => c.column_name));
    expect(config.checks.map((c) => c.name)).toEqual(["event_cursors_position_not_negative"]);
  });
});

describe("consumeEvents", () => {
  it("applies every event once, in position order, and keeps the cursor in its own database", async () => {
    // Concurrent writers commit out of their position-allocation order; the stream still
    // delivers in position order and the consumer applies in that order.
    await Promise.all(Array.from({ length: 4 }, () => produce(5)));
    await produce(9, true);
    const c = start();
    await c.waitFor(await head(), within());
    const more = await produce(6);
    await c.waitFor(more, within());

    expect(await appliedPositions()).toEqual(await outboxPositions());
    expect(await cursorOf("clock")).toBe(more.toString());
    expect(c.status()).toMatchObject({ position: more, connected: true });
  });

  it("restarts from its durable cursor after a stop mid-stream: nothing lost, nothing applied twice", async () => {
    await produce(60, true);
    let handled = 0;
    let stopped!: () => void;
    const stoppedInside = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const first: EventConsumer = start({
      handle: async (tx, e) => {
        await tx.execute(sql`insert into applied (position, event_id) values (${e.position.toString()}::bigint, ${e.eventId}::uuid)`);
        // Stop from inside a batch: the batch still commits, the stream is closed after it.
        if (++handled === 20) {
          void first.stop();
          stopped();
        }
      },
    });
    await stoppedInside;
    await first.stop();
    const stoppedAt = await cursorOf("clock");
    const partial = await appliedPositions();
    expect(partial.length).toBeGreaterThanOrEqual(20);
    expect(partial.length).toBeLessThan(60);
    expect(partial[partial.length - 1]).toBe(stoppedAt);

    const last = await produce(10);
    const second = start();
    await second.waitFor(last, within());
    expect(await appliedPositions()).toEqual(await outboxPositions());
  });

  it("rolls back a batch whose handler fails, and applies it again after a back-off", async () => {
    const last = await produce(20, true);
    const positions = await outboxPositions();
    const calls = new Map<string, number>();
    const c = start({
      handle: async (tx, e) => {
        const p = e.position.toString();
        calls.set(p, (calls.get(p) ?? 0) + 1);
        await tx.execute(sql`insert into applied (position, event_id) values (${p}::bigint, ${e.eventId}::uuid)`);
        // The 10th event, in the middle of the second batch, fails once.
        if (p === positions[9] && calls.get(p) === 1) throw new Error("projection unavailable");
      },
    });
    await c.waitFor(last, within());

    expect(await appliedPositions()).toEqual(positions);
    // The second batch's first events ran twice: the first run was rolled back with the failure.
    expect(calls.get(positions[7])).toBe(2);
    expect(calls.get(positions[0])).toBe(1);
    const warning = logs.find((l) => l.level === 40 && l.err?.message === "projection unavailable");
    expect(warning).toMatchObject({ msg: "event consumer: stream or batch failed, reopening", position: positions[9] });
  });

  it("reopens a stream that fails, cannot open or ends, from its durable cursor", async () => {
    const last = await produce(30, true);
    const positions = await outboxPositions();
    const opened: string[] = [];
    const c = start({
      open: (req, signal) => {
        opened.push(req.afterPosition.toString());
        const attempt = opened.length;
        return (async function* () {
          if (attempt === 2) throw new Error("connect ECONNREFUSED 127.0.0.1:7105");
          let batches = 0;
          for await (const batch of stream(req, signal)) {
            yield batch;
            batches += 1;
            if (attempt === 1 && batches === 1) throw new Error("stream reset");
            // The producer shutting down: a clean end.
            if (attempt === 3 && batches === 2) return;
          }
        })();
      },
    });
    await c.waitFor(last, within());

    expect(await appliedPositions()).toEqual(positions);
    expect(opened.slice(0, 4)).toEqual(["0", positions[BATCH - 1], positions[BATCH - 1], positions[3 * BATCH - 1]]);
    expect(logs.filter((l) => l.level === 40).map((l) => l.err?.message)).toEqual(["stream reset", "connect ECONNREFUSED 127.0.0.1:7105"]);
    expect(logs.some((l) => l.msg === "event consumer: stream ended, reopening")).toBe(true);
  });

  it("skips events at or below its cursor that a producer delivers again", async () => {
    const last = await produce(15, true);
    let opens = 0;
    const c = start({
      // A producer that ignores after_position: every stream starts from the beginning, and
      // the first one ends after two batches.
      open: (req, signal) => {
        opens += 1;
        const from = stream({ ...req, afterPosition: 0n }, signal);
        return opens > 1 ? from : (async function* () {
          let n = 0;
          for await (const b of from) {
            yield b;
            if (++n === 2) return;
          }
        })();
      },
    });
    await c.waitFor(last, within());
    expect(opens).toBeGreaterThan(1);
    expect(await appliedPositions()).toEqual(await outboxPositions());
  });

  it("shares one feed between two instances on one database: each event is applied once", async () => {
    await produce(40, true);
    const a = start();
    const b = start();
    const more = await produce(10);
    await Promise.all([a.waitFor(more, within()), b.waitFor(more, within())]);
    expect(await appliedPositions()).toEqual(await outboxPositions());
  });

  it("stop() closes the stream and waits for the batch being applied to commit", async () => {
    await produce(10, true);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inBatch = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let streamSignal: AbortSignal | undefined;
    const c = start({
      open: (req, signal) => {
        streamSignal = signal;
        return stream(req, signal);
      },
      handle: async (tx, e) => {
        entered();
        await gate;
        await tx.execute(sql`insert into applied (position, event_id) values (${e.position.toString()}::bigint, ${e.eventId}::uuid)`);
      },
    });
    await inBatch;
    let stopped = false;
    const stopping = c.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    expect(streamSignal?.aborted).toBe(true);
    release();
    await stopping;

    const positions = await outboxPositions();
    expect(await appliedPositions()).toEqual(positions.slice(0, BATCH));
    expect(await cursorOf("clock")).toBe(positions[BATCH - 1]);
    expect(c.status().connected).toBe(false);
  });

  it("stops during a back-off without waiting for it", async () => {
    const c = start({
      retry: { initialMs: 600_000, maxMs: 600_000 },
      open: () => {
        throw new Error("no route to host");
      },
    });
    while (c.status().failures === 0) await new Promise((r) => setTimeout(r, 5));
    await c.stop();
    await expect(c.waitFor(1n)).rejects.toThrow(/stopped/);
  });
});
