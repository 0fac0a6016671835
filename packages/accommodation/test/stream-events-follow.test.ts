// StreamEvents in-process (createRouterTransport) with production's LISTEN feed on a real
// database, and timings short enough to watch heartbeats and polling.
import { randomUUID } from "node:crypto";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import type { StreamEventsResponse } from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import { createLogger } from "@triphub/platform";
import { freshDatabase } from "@triphub/testkit";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newProperty } from "../src/domain/property.js";
import { createEventFeed } from "../src/store/event-feed.js";
import type { EventFeed } from "../src/store/event-feed.js";
import { eventRpcs } from "../src/rpcs/event-rpcs.js";
import { createEventStore } from "../src/store/event-store.js";
import { createPropertyStore } from "../src/store/property-store.js";
import type { PropertyStore } from "../src/store/property-store.js";
import { migrationsFolder } from "./accommodation-db.js";
import { propertyInput, t0 } from "./fixtures.js";

const log = createLogger({ service: "accommodation-test", level: "silent" });
let client: postgres.Sql;
let properties: PropertyStore;
const feeds: EventFeed[] = [];

beforeAll(async () => {
  client = postgres(await freshDatabase({ migrationsFolder, name: "acc_stream_follow" }), { max: 6, onnotice: () => {} });
  properties = createPropertyStore(drizzle(client));
});
afterAll(async () => {
  await Promise.all(feeds.map((f) => f.close()));
  await client?.end();
});

function api(opts: { listen: boolean; heartbeatMs?: number; pollMs?: number }) {
  const feed = createEventFeed({ sql: opts.listen ? client : undefined, log });
  feeds.push(feed);
  const impl = eventRpcs({ events: createEventStore(drizzle(client)), feed, heartbeatMs: opts.heartbeatMs, pollMs: opts.pollMs });
  const transport = createRouterTransport((router) => router.service(AccommodationService, impl));
  return { feed, client: createClient(AccommodationService, transport) };
}

const createProperty = () => properties.create(newProperty(propertyInput(), randomUUID(), t0));

/** The next message of a stream, or undefined when it ended. */
async function next(it: AsyncIterator<StreamEventsResponse>): Promise<StreamEventsResponse | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value;
}

describe("following StreamEvents", () => {
  it("sends empty heartbeats with the head while there is nothing new", async () => {
    await createProperty();
    const { client: c } = api({ listen: true, heartbeatMs: 150, pollMs: 50 });
    const stream = c.streamEvents({})[Symbol.asyncIterator]();
    const first = await next(stream);
    expect(first?.events.length).toBeGreaterThan(0);
    const started = Date.now();
    const beat = await next(stream);
    expect(beat?.events).toEqual([]);
    expect(beat?.headPosition).toBe(first?.headPosition);
    expect(Date.now() - started).toBeLessThan(1_000);
    await stream.return?.();
  });

  it("wakes on a notification long before its next poll", async () => {
    const { client: c } = api({ listen: true, heartbeatMs: 60_000, pollMs: 60_000 });
    const head = (await createProperty()) && (await createEventStore(drizzle(client)).read(0n, [], 1)).head;
    const stream = c.streamEvents({ afterPosition: head })[Symbol.asyncIterator]();
    const pending = next(stream);
    await new Promise((r) => setTimeout(r, 100));
    const created = await createProperty();
    const started = Date.now();
    const m = await pending;
    expect(m?.events.map((e) => e.streamId)).toEqual([created.id]);
    expect(Date.now() - started).toBeLessThan(2_000);
    await stream.return?.();
  });

  it("finds new events by polling when it cannot LISTEN", async () => {
    const { client: c } = api({ listen: false, heartbeatMs: 60_000, pollMs: 50 });
    const head = (await createEventStore(drizzle(client)).read(0n, [], 1)).head;
    const stream = c.streamEvents({ afterPosition: head })[Symbol.asyncIterator]();
    const pending = next(stream);
    const created = await createProperty();
    expect((await pending)?.events.map((e) => e.streamId)).toEqual([created.id]);
    await stream.return?.();
  });

  it("ends the stream cleanly when the feed closes for shutdown", async () => {
    const { client: c, feed } = api({ listen: true, heartbeatMs: 60_000, pollMs: 60_000 });
    const head = (await createEventStore(drizzle(client)).read(0n, [], 1)).head;
    const stream = c.streamEvents({ afterPosition: head })[Symbol.asyncIterator]();
    const pending = next(stream);
    await new Promise((r) => setTimeout(r, 50));
    await feed.close();
    expect(await pending).toBeUndefined();
  });
});
