// Review's feed: what it publishes, in order, to the one service the contract names.
import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import * as ev from "@triphub/contracts/triphub/review/v1/events_pb";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { createServiceClient } from "@triphub/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completedStays, listedProperty, type ReviewPlatform, startReviewPlatform } from "./review-platform.js";

let p: ReviewPlatform;
beforeAll(async () => {
  p = await startReviewPlatform("review_events");
}, 60_000);
afterAll(() => p?.close());

const feedAs = (service: string) =>
  createServiceClient(ReviewService, p.review.url, { identity: { tokens: p.auth.asService(service).tokens, audience: "review" } });

async function readAll(service: string) {
  const out = [];
  for await (const res of feedAs(service).streamEvents({ stopAtHead: true })) out.push(...res.events);
  return out;
}

describe("StreamEvents", () => {
  it("gives accommodation each review's events and the property's new statistics, in order", async () => {
    const room = await listedProperty(await p.host());
    const [{ guest, stay }] = await completedStays(p, room, [await p.guest()]);
    const { review } = await guest.reviews.createReview({ review: { reservationId: stay.reservationId, rating: 5, body: "Great." } });
    await guest.reviews.updateReview({ review: { reviewId: review!.reviewId, title: "Great stay" } });
    await guest.reviews.updateReview({ review: { reviewId: review!.reviewId, rating: 3 }, updateMask: { paths: ["rating"] } });

    const events = await readAll("accommodation");
    expect(events.map((e) => [e.streamType, e.payload?.typeUrl.split("/")[1]])).toEqual([
      ["review", "triphub.review.v1.ReviewCreated"],
      ["rating_statistics", "triphub.review.v1.RatingStatisticsChanged"],
      ["review", "triphub.review.v1.ReviewUpdated"],
      ["review", "triphub.review.v1.ReviewUpdated"],
      ["rating_statistics", "triphub.review.v1.RatingStatisticsChanged"],
    ]);
    const positions = events.map((e) => e.position);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    const stats = events.filter((e) => e.streamType === "rating_statistics").map((e) => anyUnpack(e.payload!, ev.RatingStatisticsChangedSchema)!.statistics!);
    expect(stats.map((s) => [s.propertyId, s.count, s.average, s.version])).toEqual([
      [room.propertyId, 1, 5, 1n],
      [room.propertyId, 1, 3, 2n],
    ]);
    // The title edit moved no statistic, so it published none.
    const updated = fromBinary(ev.ReviewUpdatedSchema, events[2].payload!.value);
    expect(updated.changedFields).toEqual(["title"]);
  });

  it("is refused to users and to services the contract does not name", async () => {
    const code = async (run: () => Promise<unknown>) => run().then(() => Code.Unknown, (e: unknown) => ConnectError.from(e).code);
    expect(await code(() => readAll("reservation"))).toBe(Code.PermissionDenied);
    const guest = await p.guest();
    expect(await code(async () => {
      for await (const _ of guest.reviews.streamEvents({ stopAtHead: true })) break;
    })).toBe(Code.PermissionDenied);
  });
});
