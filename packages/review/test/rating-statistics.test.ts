// A property's statistics against a fixture computed by hand, and the listing's orders, filters
// and pages over the same reviews.
import { Code, ConnectError } from "@connectrpc/connect";
import { ModerationAction, type Review } from "@triphub/contracts/triphub/review/v1/review_pb";
import { ReviewSort } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completedStays, listedProperty, type ReviewPlatform, startReviewPlatform, type User } from "./review-platform.js";

let p: ReviewPlatform;
let propertyId: string;
let written: Review[];
let guests: User[];

// Overall rating and aspects of each review, in the order written; the last one is hidden.
const FIXTURE = [
  { rating: 5, aspectRatings: { cleanliness: 5, accuracy: 4 } },
  { rating: 4, aspectRatings: { cleanliness: 3 } },
  { rating: 4, aspectRatings: {} },
  { rating: 3, aspectRatings: { cleanliness: 4, accuracy: 2, value: 3 } },
  { rating: 1, aspectRatings: { value: 1 } },
  { rating: 5, aspectRatings: { cleanliness: 1 } },
];

beforeAll(async () => {
  p = await startReviewPlatform("review_statistics");
  const room = await listedProperty(await p.host());
  propertyId = room.propertyId;
  const stays = await completedStays(p, room, await Promise.all(FIXTURE.map(() => p.guest())));
  guests = stays.map((s) => s.guest);
  written = [];
  for (const [i, { guest, stay }] of stays.entries()) {
    const { review } = await guest.reviews.createReview({ review: { reservationId: stay.reservationId, body: `Stay number ${i + 1}.`, ...FIXTURE[i] } });
    written.push(review!);
  }
  const admin = await p.again(p.admin);
  await admin.reviews.moderateReview({ reviewId: written[5].reviewId, action: ModerationAction.HIDE, note: "fake" });
}, 90_000);
afterAll(() => p?.close());

describe("GetRatingStatistics", () => {
  it("matches the hand-computed fixture, without the hidden review", async () => {
    const { statistics } = await p.anonymous.getRatingStatistics({ propertyId });
    // Published: 5, 4, 4, 3, 1.
    expect(statistics).toMatchObject({ propertyId, count: 5 });
    expect(statistics!.average).toBeCloseTo(17 / 5, 12);
    expect(statistics!.histogram.map((b) => [b.rating, b.count])).toEqual([
      [1, 1],
      [2, 0],
      [3, 1],
      [4, 2],
      [5, 1],
    ]);
    // The prior: 10 reviews of 3.5 stars. (10 * 3.5 + 17) / (10 + 5).
    expect(statistics!.rankingScore).toBeCloseTo(52 / 15, 12);
    const a = statistics!.aspects!;
    expect([a.cleanliness?.average, a.cleanliness?.count]).toEqual([4, 3]);
    expect([a.accuracy?.average, a.accuracy?.count]).toEqual([3, 2]);
    expect([a.value?.average, a.value?.count]).toEqual([2, 2]);
    expect([a.location?.average, a.location?.count]).toEqual([0, 0]);
    expect(statistics!.updateTime).toBeDefined();
  });

  it("follows edits and deletions", async () => {
    const author = await p.again(guests[4]);
    await author.reviews.updateReview({ review: { reviewId: written[4].reviewId, rating: 2 }, updateMask: { paths: ["rating"] } });
    let { statistics } = await p.anonymous.getRatingStatistics({ propertyId });
    expect(statistics!.average).toBeCloseTo(18 / 5, 12);
    const before = statistics!.version;
    await author.reviews.deleteReview({ reviewId: written[4].reviewId });
    ({ statistics } = await p.anonymous.getRatingStatistics({ propertyId }));
    expect(statistics!.count).toBe(4);
    expect(statistics!.average).toBeCloseTo(16 / 4, 12);
    expect(statistics!.version).toBe(before + 1n);
  });

  it("answers zeros, not NOT_FOUND, for a property nobody has reviewed", async () => {
    const { statistics } = await p.anonymous.getRatingStatistics({ propertyId: crypto.randomUUID() });
    expect(statistics).toMatchObject({ count: 0, average: 0, rankingScore: 0 });
    expect(statistics!.histogram.map((b) => b.count)).toEqual([0, 0, 0, 0, 0]);
    expect(statistics!.updateTime).toBeUndefined();
  });
});

describe("ListReviews", () => {
  // After the edit and deletion above: published are reviews 1-4 (ratings 5, 4, 4, 3).
  const ids = (reviews: Review[]) => reviews.map((r) => written.findIndex((w) => w.reviewId === r.reviewId) + 1);

  it("orders newest, oldest, highest and lowest, ties newest first", async () => {
    const list = async (sort: ReviewSort) => ids((await p.anonymous.listReviews({ propertyId, sort })).reviews);
    expect(await list(ReviewSort.UNSPECIFIED)).toEqual([4, 3, 2, 1]);
    expect(await list(ReviewSort.OLDEST)).toEqual([1, 2, 3, 4]);
    expect(await list(ReviewSort.HIGHEST_RATING)).toEqual([1, 3, 2, 4]);
    expect(await list(ReviewSort.LOWEST_RATING)).toEqual([4, 3, 2, 1]);
  });

  it("orders by helpful votes", async () => {
    const voters = await Promise.all([p.guest(), p.guest(), p.guest()]);
    for (const v of voters) await v.reviews.markReviewHelpful({ reviewId: written[1].reviewId, helpful: true });
    await voters[0].reviews.markReviewHelpful({ reviewId: written[3].reviewId, helpful: true });
    const { reviews } = await p.anonymous.listReviews({ propertyId, sort: ReviewSort.MOST_HELPFUL });
    expect(ids(reviews)).toEqual([2, 4, 3, 1]);
    expect(reviews[0].helpfulCount).toBe(3);
  });

  it("filters by rating and language, with the total over all pages", async () => {
    const fours = await p.anonymous.listReviews({ propertyId, ratings: [4] });
    expect(ids(fours.reviews)).toEqual([3, 2]);
    expect(fours.totalSize).toBe(2);
    expect((await p.anonymous.listReviews({ propertyId, language: "ko" })).totalSize).toBe(0);
  });

  it("pages with tokens bound to the query, and hides reviewers' ids", async () => {
    const seen: number[] = [];
    let pageToken = "";
    do {
      const page = await p.anonymous.listReviews({ propertyId, sort: ReviewSort.HIGHEST_RATING, pageSize: 1, pageToken });
      expect(page.totalSize).toBe(4);
      for (const r of page.reviews) expect([r.authorId, r.reservationId]).toEqual(["", ""]);
      seen.push(...ids(page.reviews));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual([1, 3, 2, 4]);

    const first = await p.anonymous.listReviews({ propertyId, sort: ReviewSort.HIGHEST_RATING, pageSize: 1 });
    const other = p.anonymous.listReviews({ propertyId, sort: ReviewSort.NEWEST, pageToken: first.nextPageToken });
    expect(ConnectError.from(await other.catch((e: unknown) => e)).code).toBe(Code.InvalidArgument);
    const forged = p.anonymous.listReviews({ propertyId, pageToken: "not-a-token" });
    expect(ConnectError.from(await forged.catch((e: unknown) => e)).code).toBe(Code.InvalidArgument);
  });
});
