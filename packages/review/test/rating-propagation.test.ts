// Reviews reach search: review publishes each property's new statistics through its outbox and
// StreamEvents, the real accommodation service reads them with a durable cursor, and a search
// sorted by rating follows. Restarting either side loses and doubles nothing.
import { SearchSort } from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completedStays, eventually, listedProperty, type ReviewPlatform, startReviewPlatform, type User } from "./review-platform.js";

let p: ReviewPlatform;
let host: User;
let a: { propertyId: string; roomTypeId: string };
let b: { propertyId: string; roomTypeId: string };
beforeAll(async () => {
  p = await startReviewPlatform("review_propagation");
  host = await p.host();
  a = await listedProperty(host, "Hanok A");
  b = await listedProperty(host, "Hanok B");
}, 60_000);
afterAll(() => p?.close());

const DAY = 24 * 3600_000;

/** The two properties in a search of Seoul sorted by rating, best first. */
async function byRating(): Promise<string[]> {
  const day = (n: number) => new Date(p.clock.now().getTime() + n * DAY).toISOString().slice(0, 10);
  const { results } = await p.accommodation.client(AccommodationService).searchAccommodations({
    location: { case: "destination", value: "Seoul" },
    checkIn: day(3),
    checkOut: day(4),
    sort: SearchSort.RATING_DESC,
  });
  return results.map((r) => r.accommodation!.propertyId).filter((id) => id === a.propertyId || id === b.propertyId);
}

/** Accommodation's rating summary of `propertyId`. */
async function summary(propertyId: string) {
  const { property } = await p.accommodation.client(AccommodationService).getAccommodation({ propertyId });
  return property!.ratingSummary!;
}

/** Waits until accommodation shows the statistics review has for `propertyId`. */
async function mirrored(propertyId: string) {
  const { statistics } = await p.anonymous.getRatingStatistics({ propertyId });
  return eventually(async () => {
    const s = await summary(propertyId);
    expect([s.count, s.average, s.rankingScore]).toEqual([statistics!.count, statistics!.average, statistics!.rankingScore]);
    return s;
  }, 45_000);
}

async function review(guest: User, reservationId: string, rating: number) {
  await guest.reviews.createReview({ review: { reservationId, rating, body: `${rating} stars.` } });
}

/** How many rating changes accommodation recorded for `propertyId`, and review published for it. */
async function changes(propertyId: string) {
  const accommodationDb = await p.accommodationDb();
  const reviewDb = p.reviewDb.db as PostgresJsDatabase<Record<string, unknown>>;
  try {
    const [recorded] = await (accommodationDb.db as PostgresJsDatabase<Record<string, unknown>>).execute<{ n: number }>(
      sql`select count(*)::int as n from events where type = 'triphub.accommodation.v1.RatingSummaryUpdated' and stream_id = ${propertyId}`,
    );
    const [published] = await reviewDb.execute<{ n: number }>(
      sql`select count(*)::int as n from events where stream_type = 'rating_statistics' and stream_id = ${propertyId}`,
    );
    return { recorded: recorded!.n, published: published!.n };
  } finally {
    await accommodationDb.close();
  }
}

describe("ratings in search", { timeout: 90_000 }, () => {
  it("change the order of a search sorted by rating as reviews arrive", async () => {
    const stays = await completedStays(p, a, [await p.guest()]);
    const staysB = await completedStays(p, b, [await p.guest(), await p.guest()]);
    // A: one 4-star review (its guest signed in again: the clock passed B's check-out). B: none yet.
    await review(await p.again(stays[0].guest), stays[0].stay.reservationId, 4);
    await mirrored(a.propertyId);
    expect(await byRating()).toEqual([a.propertyId, b.propertyId]);
    // B: two 5-star reviews. Score (10 * 3.5 + 10) / 12 = 3.75 beats A's (35 + 4) / 11 = 3.55.
    await review(staysB[0].guest, staysB[0].stay.reservationId, 5);
    await review(staysB[1].guest, staysB[1].stay.reservationId, 5);
    const s = await mirrored(b.propertyId);
    expect(s).toMatchObject({ count: 2, average: 5 });
    expect(s.rankingScore).toBeCloseTo(45 / 12, 12);
    expect(await byRating()).toEqual([b.propertyId, a.propertyId]);
  });

  it("catch up after accommodation was down while reviews were written", async () => {
    const stays = await completedStays(p, a, [await p.guest(), await p.guest(), await p.guest()]);
    await p.accommodation.close();
    for (const { guest, stay } of stays) await review(guest, stay.reservationId, 5);
    await p.restartAccommodation();
    expect(await mirrored(a.propertyId)).toMatchObject({ count: 4 });
    expect(await byRating()).toEqual([a.propertyId, b.propertyId]);
    const { recorded, published } = await changes(a.propertyId);
    expect(recorded).toBe(published);
  });

  it("carry on after review restarts under the open stream", async () => {
    const [{ guest, stay }] = await completedStays(p, b, [await p.guest()]);
    await p.restartReview();
    await review(guest, stay.reservationId, 1);
    expect(await mirrored(b.propertyId)).toMatchObject({ count: 3 });
    // And a restart of accommodation right after changes nothing it already applied.
    await p.restartAccommodation();
    await mirrored(b.propertyId);
    for (const id of [a.propertyId, b.propertyId]) {
      const { recorded, published } = await changes(id);
      expect(recorded).toBe(published);
    }
  });
});
