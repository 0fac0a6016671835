import { randomUUID } from "node:crypto";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { Weekday } from "@triphub/contracts/triphub/accommodation/v1/calendar_pb";
import { HoldReleaseReason } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import type { StreamEventsRequest, StreamEventsResponse } from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import { PropertyCreatedSchema } from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import type { Event } from "@triphub/contracts/triphub/common/v1/event_pb";
import { serviceTokenInterceptor } from "@triphub/platform";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventTypes } from "../src/rpcs/event-rpcs.js";
import { host, listedProperty, type Platform, startPlatform } from "./rpc-harness.js";

const A = "triphub.accommodation.v1.";
let p: Platform;
beforeAll(async () => {
  p = await startPlatform("acc_rpc_stream_events");
});
afterAll(() => p?.close());

type Req = Partial<Omit<StreamEventsRequest, "$typeName">>;

/** Every message of a stream that ends by itself (stop_at_head). */
async function collect(req: Req): Promise<StreamEventsResponse[]> {
  const out: StreamEventsResponse[] = [];
  for await (const m of p.internal.streamEvents({ stopAtHead: true, ...req })) out.push(m);
  return out;
}

const allEvents = (ms: StreamEventsResponse[]) => ms.flatMap((m) => m.events);

async function eventCountAfter(position: bigint): Promise<number> {
  const [{ n }] = await p.database.db.execute<{ n: number }>(sql`select count(*)::int as n from events where position > ${position.toString()}::bigint`);
  return n;
}

describe("StreamEvents", () => {
  it("replays the host's changes in order with the envelope the contract describes, then ends at the head", async () => {
    const owner = await host(p);
    const { property } = await listedProperty(owner);
    const mine = allEvents(await collect({})).filter((e) => e.streamId === property.propertyId);
    expect(mine.map((e) => [e.type.replace(A, ""), e.streamVersion])).toEqual([["PropertyCreated", 1n], ["RoomTypeCreated", 2n], ["PropertyPublished", 3n]]);
    const created = mine[0];
    expect(created).toMatchObject({ streamType: "property", metadata: { actor_id: owner.userId } });
    expect(created.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.correlation_id).toBeTruthy();
    expect(created.occurTime).toBeDefined();
    const payload = anyUnpack(created.payload!, PropertyCreatedSchema);
    expect(payload?.property?.propertyId).toBe(property.propertyId);
  });

  it("sends at most batch_size events per message, positions increasing, and the head with each", async () => {
    const owner = await host(p);
    await listedProperty(owner);
    const messages = await collect({ batchSize: 2 });
    expect(messages.length).toBeGreaterThan(1);
    const positions = allEvents(messages).map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(positions).size).toBe(positions.length);
    for (const m of messages) {
      expect(m.events.length).toBeLessThanOrEqual(2);
      expect(m.headPosition).toBeGreaterThanOrEqual(m.events.at(-1)!.position);
    }
    const after = positions[positions.length - 3];
    expect(allEvents(await collect({ afterPosition: after })).map((e) => e.position)).toEqual(positions.slice(-2));
  });

  it("filters by type", async () => {
    const owner = await host(p);
    const { property, roomType } = await listedProperty(owner);
    const reservationId = randomUUID();
    await p.internal.holdInventory({
      reservationId, propertyId: property.propertyId, roomTypeId: roomType.roomTypeId, checkIn: "2026-04-01", checkOut: "2026-04-03", units: 1,
      guests: { adults: 1, children: 0 },
    });
    await p.internal.confirmHold({ reservationId });
    const events = allEvents(await collect({ types: [`${A}HoldConfirmed`, `${A}InventoryHeld`] }));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set([`${A}HoldConfirmed`, `${A}InventoryHeld`]));
    const held = events.filter((e) => e.streamId === reservationId);
    expect(held.map((e) => [e.streamType, e.type.replace(A, ""), e.streamVersion])).toEqual([["hold", "InventoryHeld", 1n], ["hold", "HoldConfirmed", 2n]]);
    // Holds are called by services, not users: no actor.
    expect(held[0].metadata.actor_id).toBeUndefined();
  });

  it("follows concurrent writers: every event once, in increasing position, then stops on cancel", async () => {
    const owner = await host(p);
    const { property, roomType } = await listedProperty(owner, 40);
    const [{ head }] = await p.database.db.execute<{ head: string }>(sql`select coalesce(max(position), 0)::text as head from events`);
    const from = BigInt(head);
    const abort = new AbortController();
    const seen: Event[] = [];
    let expected = Number.POSITIVE_INFINITY;
    const follower = (async () => {
      try {
        for await (const m of p.internal.streamEvents({ afterPosition: from, batchSize: 7 }, { signal: abort.signal })) {
          for (const e of m.events) {
            expect(e.position).toBeGreaterThan(seen.at(-1)?.position ?? from);
            seen.push(e);
          }
          if (seen.length >= expected) abort.abort();
        }
      } catch (e) {
        if (!(e instanceof ConnectError && e.code === Code.Canceled)) throw e;
      }
    })();
    const guests = { adults: 1, children: 0 };
    const ids = Array.from({ length: 30 }, () => randomUUID());
    await Promise.all([
      ...ids.map(async (reservationId, i) => {
        const day = 10 + (i % 10);
        await p.internal.holdInventory({ reservationId, propertyId: property.propertyId, roomTypeId: roomType.roomTypeId, checkIn: `2026-05-${day}`, checkOut: `2026-05-${day + 2}`, units: 1, guests });
        await (i % 2 === 0 ? p.internal.confirmHold({ reservationId }) : p.internal.releaseHold({ reservationId, reason: HoldReleaseReason.RESERVATION_FAILED }));
      }),
      ...Array.from({ length: 10 }, (_, i) =>
        owner.api.updateCalendar({
          propertyId: property.propertyId, roomTypeId: roomType.roomTypeId, startDate: `2026-07-${10 + i}`, endDate: `2026-07-${11 + i}`,
          weekdays: [Weekday.MONDAY], settings: { minStayNights: 2 }, updateMask: { paths: ["min_stay_nights"] },
        }),
      ),
    ]);
    expected = await eventCountAfter(from);
    expect(expected).toBe(70);
    const timeout = setTimeout(() => abort.abort(), 10_000);
    if (seen.length >= expected) abort.abort();
    await follower;
    clearTimeout(timeout);
    expect(seen).toHaveLength(expected);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(expected);
  });

  it("serves Connect JSON clients, with each payload in the JSON form of its type", async () => {
    const owner = await host(p);
    const { property } = await listedProperty(owner);
    // A Connect JSON client needs the event types too, to read the payloads' "@type".
    const transport = createConnectTransport({
      baseUrl: p.accommodation.url,
      httpVersion: "1.1",
      useBinaryFormat: false,
      jsonOptions: { registry: eventTypes },
      interceptors: [serviceTokenInterceptor(p.identities.tokens("review", p.auth.url), "accommodation")],
    });
    const json = createClient(AccommodationService, transport);
    const events: Event[] = [];
    for await (const m of json.streamEvents({ stopAtHead: true })) events.push(...m.events);
    const created = events.find((e) => e.streamId === property.propertyId && e.type === `${A}PropertyCreated`);
    expect(anyUnpack(created!.payload!, PropertyCreatedSchema)?.property?.propertyId).toBe(property.propertyId);
    expect(events.map((e) => e.eventId)).toEqual(allEvents(await collect({})).map((e) => e.eventId));
  });

  // Last: it shuts the service down.
  it("ends a following stream cleanly, and promptly, when the server shuts down", async () => {
    const messages: StreamEventsResponse[] = [];
    const follower = (async () => {
      for await (const m of p.internal.streamEvents({})) messages.push(m);
    })();
    while (messages.length === 0) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await p.accommodation.close();
    await follower;
    // Well inside the 10 s drain timeout that would otherwise cut the stream off.
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
