import { randomUUID } from "node:crypto";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { RatingSummaryUpdatedSchema } from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import { SearchSort } from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import { type Event, EventSchema } from "@triphub/contracts/triphub/common/v1/event_pb";
import { RatingStatisticsChangedSchema } from "@triphub/contracts/triphub/review/v1/events_pb";
import type { EventBatch, EventStreamRequest } from "@triphub/platform/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doubleRoom, guesthouse, host, type Platform, startPlatform, type TestUser } from "./rpc-harness.js";

// Review's StreamEvents as accommodation receives it, from an in-process log: review's own
// service is the lead's end-to-end test; the durable consumer under it is proven against the
// real outbox in the platform's consume-events tests. This one shows what accommodation does
// with the events: the property's rating summary, its own event, its caches, its search order.
interface Statistics {
  propertyId: string;
  average: number;
  count: number;
  rankingScore: number;
  version: bigint;
}

function reviewFeed() {
  const log: Event[] = [];
  const wakers = new Set<() => void>();
  let position = 1_000n;
  return {
    /** Appends RatingStatisticsChanged events; resolves to the last position. */
    publish(...stats: Statistics[]): bigint {
      for (const s of stats) {
        position += 7n; // positions have gaps, as an outbox's do
        log.push(
          create(EventSchema, {
            position,
            eventId: randomUUID(),
            streamType: "rating_statistics",
            streamId: s.propertyId,
            streamVersion: s.version,
            type: RatingStatisticsChangedSchema.typeName,
            payload: {
              typeUrl: `type.googleapis.com/${RatingStatisticsChangedSchema.typeName}`,
              value: toBinary(RatingStatisticsChangedSchema, create(RatingStatisticsChangedSchema, { statistics: s })),
            },
          }),
        );
      }
      for (const w of [...wakers]) w();
      return position;
    },
    async *open(req: EventStreamRequest, signal: AbortSignal): AsyncGenerator<EventBatch> {
      let after = req.afterPosition;
      while (!signal.aborted) {
        const events = log.filter((e) => e.position > after && (req.types.length === 0 || req.types.includes(e.type))).slice(0, 3);
        if (events.length > 0) {
          after = events[events.length - 1].position;
          yield { events, headPosition: position };
          continue;
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            wakers.delete(done);
            signal.removeEventListener("abort", done);
            resolve();
          };
          wakers.add(done);
          signal.addEventListener("abort", done, { once: true });
        });
      }
    },
  };
}

const review = reviewFeed();
let p: Platform;
let owner: TestUser;
beforeAll(async () => {
  p = await startPlatform("acc_rating_statistics", { reviewEvents: (req, signal) => review.open(req, signal) });
  owner = await host(p);
});
afterAll(() => p?.close());

async function listed(city: string): Promise<string> {
  const address = { line1: "1 Main-ro", city, region: city, countryCode: "KR", location: { latitude: 37.5826, longitude: 126.9831 } };
  const { property } = await owner.api.createProperty({ property: guesthouse({ address }) });
  const id = property!.propertyId;
  await owner.api.createRoomType({ propertyId: id, roomType: doubleRoom(3) });
  await owner.api.publishProperty({ propertyId: id });
  return id;
}

/** Waits until accommodation's durable cursor on review's feed reaches `position`. */
async function applied(position: bigint): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await p.database.sql<{ position: string }[]>`select position::text as position from event_cursors where consumer = 'review'`;
    if (row !== undefined && BigInt(row.position) >= position) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`review's feed not applied up to ${position}`);
}

async function ratingEvents(propertyId: string) {
  const rows = await p.database.sql<{ payload: Uint8Array }[]>`select payload from events
    where stream_id = ${propertyId} and type = ${RatingSummaryUpdatedSchema.typeName} order by position`;
  return rows.map((r) => fromBinary(RatingSummaryUpdatedSchema, new Uint8Array(r.payload)).ratingSummary);
}

const summaryOf = async (propertyId: string) => (await p.internal.getAccommodation({ propertyId })).property?.ratingSummary;

describe("review's rating statistics", () => {
  it("are mirrored when newer, and a stale or repeated copy changes nothing", async () => {
    const id = await listed("Gangneung");
    // Read once so the details are cached: the change must drop them.
    expect(await summaryOf(id)).toMatchObject({ average: 0, count: 0, rankingScore: 0 });

    const v2 = { propertyId: id, average: 4, count: 3, rankingScore: 3.615, version: 2n };
    await applied(review.publish(v2));
    expect(await summaryOf(id)).toMatchObject({ average: 4, count: 3, rankingScore: 3.615 });

    // An older version delivered late, then the same version again.
    await applied(review.publish({ propertyId: id, average: 5, count: 1, rankingScore: 3.636, version: 1n }, v2));
    expect(await summaryOf(id)).toMatchObject({ average: 4, count: 3, rankingScore: 3.615 });
    expect(await ratingEvents(id)).toMatchObject([{ average: 4, count: 3, rankingScore: 3.615 }]);

    await applied(review.publish({ propertyId: id, average: 4.25, count: 4, rankingScore: 3.714, version: 3n }));
    expect(await summaryOf(id)).toMatchObject({ average: 4.25, count: 4, rankingScore: 3.714 });
    expect((await ratingEvents(id)).map((s) => s?.count)).toEqual([3, 4]);
  });

  it("for a property accommodation does not have are skipped, and later ones still apply", async () => {
    const id = await listed("Sokcho");
    await applied(
      review.publish(
        { propertyId: randomUUID(), average: 3, count: 1, rankingScore: 3.45, version: 1n },
        { propertyId: "not-a-uuid", average: 3, count: 1, rankingScore: 3.45, version: 1n },
        { propertyId: id, average: 4.5, count: 2, rankingScore: 3.667, version: 1n },
      ),
    );
    expect(await summaryOf(id)).toMatchObject({ average: 4.5, count: 2, rankingScore: 3.667 });
  });

  it("order a search by rating by the ranking score: one 5.0 review ranks below a hundred 4.8s", async () => {
    const single = await listed("Yeosu");
    const hundred = await listed("Yeosu");
    const none = await listed("Yeosu");
    const query = { location: { case: "destination" as const, value: "Yeosu" }, checkIn: "2026-04-10", checkOut: "2026-04-12", sort: SearchSort.RATING_DESC };
    // Cached before the ratings arrive: the change must drop the search pages too.
    await p.internal.searchAccommodations(query);
    await applied(
      review.publish(
        { propertyId: single, average: 5, count: 1, rankingScore: 3.636, version: 1n },
        { propertyId: hundred, average: 4.8, count: 100, rankingScore: 4.682, version: 1n },
      ),
    );
    const { results } = await p.internal.searchAccommodations(query);
    expect(results.map((r) => r.accommodation?.propertyId)).toEqual([hundred, single, none]);
    expect(results[0].accommodation?.ratingSummary).toMatchObject({ average: 4.8, count: 100, rankingScore: 4.682 });
  });
});
