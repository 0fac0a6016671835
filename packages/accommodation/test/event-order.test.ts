import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccommodationEvent } from "../src/domain/events.js";
import { createEventStore } from "../src/store/event-store.js";
import type { EventStore } from "../src/store/event-store.js";
import { appendEvents, writeTransaction } from "../src/store/outbox.js";
import type { StoredEvent } from "@triphub/platform/events";
import { openTestDb } from "./accommodation-db.js";
import type { TestDb } from "./accommodation-db.js";

// Several pools, as several service instances would have, so transactions really overlap.
let main: TestDb;
let pools: TestDb[] = [];
let reader: EventStore;

beforeAll(async () => {
  main = await openTestDb("acc_event_order");
  pools = await Promise.all(Array.from({ length: 4 }, () => main.connect(10)));
  reader = createEventStore(main.db);
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await main?.close();
});

const rating = (propertyId: string): AccommodationEvent => ({ type: "RatingSummaryUpdated", propertyId, ratingSummary: { average: 4, count: 1, rankingScore: 3.55 } });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Reads after `after` until `n` events came (other databases' transactions on the same server can delay delivery). */
async function readUntil(after: bigint, n: number): Promise<StoredEvent[]> {
  const seen: StoredEvent[] = [];
  for (let tries = 0; seen.length < n && tries < 500; tries++) {
    const page = await reader.read(seen.at(-1)?.position ?? after, [], 100);
    seen.push(...page.events);
    if (page.events.length === 0) await sleep(10);
  }
  return seen;
}

describe("event positions", () => {
  it("holds back a younger transaction's events until an older one that may still write has ended, then delivers the older first", async () => {
    const { head: start } = await reader.read(0n, [], 1);
    const [older, younger] = [randomUUID(), randomUUID()];
    const gate = deferred();
    const olderHasId = deferred();
    // The older transaction takes its id first but records its event last: with a sequence it
    // would get the higher position and commit after the younger one had been delivered.
    const first = writeTransaction(pools[0].db, async (tx) => {
      await tx.execute(sql`select pg_current_xact_id()`);
      olderHasId.resolve();
      await gate.promise;
      await appendEvents(tx, [rating(older)]);
    });
    await olderHasId.promise;
    await writeTransaction(pools[1].db, (tx) => appendEvents(tx, [rating(younger)]));

    const blocked = await reader.read(start, [], 100);
    expect(blocked.events).toEqual([]);
    expect(blocked.pending).toBe(true);

    gate.resolve();
    await first;
    const delivered = await readUntil(start, 2);
    expect(delivered.map((e) => e.streamId)).toEqual([older, younger]);
    expect(delivered[0].position).toBeLessThan(delivered[1].position);
  });

  it("delivers every event exactly once, in increasing position, to a reader following many concurrent writers", async () => {
    const { head: start } = await reader.read(0n, [], 1);
    const streams = Array.from({ length: 6 }, () => randomUUID());
    const writers = 240;
    let written = 0;
    let done = false;
    const write = async (i: number) => {
      const db = pools[i % pools.length].db;
      await writeTransaction(db, async (tx) => {
        // Half take their transaction id early and record late, scrambling id, record and commit order.
        if (i % 2 === 0) await tx.execute(sql`select pg_current_xact_id()`);
        await sleep(Math.random() * 15);
        const n = 1 + (i % 3);
        await appendEvents(tx, Array.from({ length: n }, (_, k) => rating(streams[(i + k) % streams.length])));
        await sleep(Math.random() * 10);
        written += n;
      });
    };

    const seen: StoredEvent[] = [];
    const follow = (async () => {
      let after = start;
      // Until the writers are done and everything they wrote was read.
      const deadline = Date.now() + 20_000;
      while ((!done || seen.length < written) && Date.now() < deadline) {
        const page = await reader.read(after, [], 37);
        for (const e of page.events) {
          expect(e.position).toBeGreaterThan(after);
          after = e.position;
          seen.push(e);
        }
        if (page.events.length === 0) await sleep(2);
      }
    })();
    await Promise.all(Array.from({ length: writers }, (_, i) => write(i)));
    done = true;
    await follow;

    expect(seen).toHaveLength(written);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(written);
    const [{ n }] = await main.db.execute<{ n: number }>(sql`select count(*)::int as n from events where position > ${start.toString()}::bigint`);
    expect(n).toBe(written);
    // Each stream's versions are 1..n without gaps or repeats, whatever the interleaving.
    for (const s of streams) {
      const versions = seen.filter((e) => e.streamId === s).map((e) => e.streamVersion).sort((a, b) => a - b);
      expect(versions).toEqual(versions.map((_, k) => k + 1));
    }
  });
});
