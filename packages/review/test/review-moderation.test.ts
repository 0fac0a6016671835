// What others do with a review: the property's host replies, users report it or mark it
// helpful, admins hide and restore it with a reason, and the trail of all that is kept.
import { ModerationAction, ReportReason, ReviewStatus } from "@triphub/contracts/triphub/review/v1/review_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, completedStays, listedProperty, type ReviewPlatform, startReviewPlatform, type User } from "./review-platform.js";

let p: ReviewPlatform;
let host: User;
let author: User;
let admin: User;
let reviewId: string;
let propertyId: string;
beforeAll(async () => {
  p = await startReviewPlatform("review_moderation");
  host = await p.host();
  const room = await listedProperty(host);
  propertyId = room.propertyId;
  const [{ guest, stay }] = await completedStays(p, room, [await p.guest()]);
  author = guest;
  // Access tokens expired as the clock passed check-out.
  host = await p.again(host);
  admin = await p.again(p.admin);
  const { review } = await author.reviews.createReview({ review: { reservationId: stay.reservationId, rating: 2, body: "Cold room." } });
  reviewId = review!.reviewId;
}, 60_000);
afterAll(() => p?.close());


describe("host replies", () => {
  it("come only from the reviewed property's host, once, and can be edited", async () => {
    const otherHost = await p.host();
    expect(await codeOf(otherHost.reviews.replyToReview({ reviewId, body: "Not mine" }))).toBe("PermissionDenied");
    expect(await codeOf(author.reviews.replyToReview({ reviewId, body: "Self reply" }))).toBe("PermissionDenied");
    expect(await codeOf(admin.reviews.replyToReview({ reviewId, body: "Admin reply" }))).toBe("PermissionDenied");

    const { review: first } = await host.reviews.replyToReview({ reviewId, body: "Sorry, the boiler is fixed." });
    expect(first?.hostReply).toMatchObject({ body: "Sorry, the boiler is fixed.", authorId: host.userId });
    const { review: second } = await host.reviews.replyToReview({ reviewId, body: "Sorry: the boiler was replaced." });
    expect(second?.hostReply?.body).toBe("Sorry: the boiler was replaced.");
    expect(second?.hostReply?.createTime).toEqual(first?.hostReply?.createTime);
    const { review: seen } = await p.anonymous.getReview({ reviewId });
    expect(seen?.hostReply?.body).toBe("Sorry: the boiler was replaced.");
  });
});

describe("helpful votes", () => {
  it("count once per user, can be withdrawn, and not by the author", async () => {
    const [a, b] = [await p.guest(), await p.guest()];
    expect((await a.reviews.markReviewHelpful({ reviewId, helpful: true })).review?.helpfulCount).toBe(1);
    expect((await a.reviews.markReviewHelpful({ reviewId, helpful: true })).review?.helpfulCount).toBe(1);
    expect((await b.reviews.markReviewHelpful({ reviewId, helpful: true })).review?.helpfulCount).toBe(2);
    expect((await a.reviews.markReviewHelpful({ reviewId, helpful: false })).review?.helpfulCount).toBe(1);
    expect((await a.reviews.markReviewHelpful({ reviewId, helpful: false })).review?.helpfulCount).toBe(1);
    expect(await codeOf(author.reviews.markReviewHelpful({ reviewId, helpful: true }))).toBe("PermissionDenied");
    expect(await codeOf(p.anonymous.markReviewHelpful({ reviewId, helpful: true }))).toBe("Unauthenticated");
    // A vote is not an edit: the author's etag still holds.
    const { review } = await author.reviews.getReview({ reviewId });
    expect((await author.reviews.updateReview({ review: { reviewId, title: "Chilly", etag: review!.etag } })).review?.title).toBe("Chilly");
  });

  it("take the same vote from many users at once exactly once each", async () => {
    const voters = await Promise.all(Array.from({ length: 12 }, () => p.guest()));
    const before = (await p.anonymous.getReview({ reviewId })).review!.helpfulCount;
    await Promise.all(voters.flatMap((v) => [v.reviews.markReviewHelpful({ reviewId, helpful: true }), v.reviews.markReviewHelpful({ reviewId, helpful: true })]));
    expect((await p.anonymous.getReview({ reviewId })).review?.helpfulCount).toBe(before + 12);
  });
});

describe("reports and moderation", () => {
  it("lets anyone signed in but the author report, once per user (a second report updates it)", async () => {
    const reporter = await p.guest();
    expect(await codeOf(reporter.reviews.reportReview({ reviewId, reason: ReportReason.SPAM, note: "ad link" }))).toBe("OK");
    expect(await codeOf(reporter.reviews.reportReview({ reviewId, reason: ReportReason.OFFENSIVE, note: "insults" }))).toBe("OK");
    expect(await codeOf(author.reviews.reportReview({ reviewId, reason: ReportReason.SPAM }))).toBe("PermissionDenied");
    expect(await codeOf(p.anonymous.reportReview({ reviewId, reason: ReportReason.SPAM }))).toBe("Unauthenticated");
    const { reports } = await admin.reviews.getModerationTrail({ reviewId });
    const mine = reports.filter((r) => r.reporterId === reporter.userId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reason: ReportReason.OFFENSIVE, note: "insults" });
  });

  it("is for admins only, needs a reason, hides from the public and the statistics, and restores", async () => {
    expect(await codeOf(host.reviews.moderateReview({ reviewId, action: ModerationAction.HIDE, note: "rude" }))).toBe("PermissionDenied");
    expect(await codeOf(author.reviews.moderateReview({ reviewId, action: ModerationAction.HIDE, note: "rude" }))).toBe("PermissionDenied");
    expect(await codeOf(admin.reviews.moderateReview({ reviewId, action: ModerationAction.HIDE, note: "" }))).toBe("InvalidArgument");
    expect((await p.anonymous.getRatingStatistics({ propertyId })).statistics?.count).toBe(1);

    const { review: hidden } = await admin.reviews.moderateReview({ reviewId, action: ModerationAction.HIDE, note: "personal data in text" });
    expect(hidden?.status).toBe(ReviewStatus.HIDDEN);
    // Idempotent: hiding again records nothing.
    await admin.reviews.moderateReview({ reviewId, action: ModerationAction.HIDE, note: "again" });
    expect(await codeOf(p.anonymous.getReview({ reviewId }))).toBe("NotFound");
    expect(await codeOf(host.reviews.getReview({ reviewId }))).toBe("NotFound");
    expect(await codeOf(host.reviews.replyToReview({ reviewId, body: "?" }))).toBe("NotFound");
    expect((await author.reviews.getReview({ reviewId })).review?.status).toBe(ReviewStatus.HIDDEN);
    expect((await p.anonymous.listReviews({ propertyId })).reviews).toHaveLength(0);
    expect((await p.anonymous.getRatingStatistics({ propertyId })).statistics).toMatchObject({ count: 0, average: 0 });

    await admin.reviews.moderateReview({ reviewId, action: ModerationAction.RESTORE, note: "edited by the author" });
    expect((await p.anonymous.getReview({ reviewId })).review?.status).toBe(ReviewStatus.PUBLISHED);
    expect((await p.anonymous.getRatingStatistics({ propertyId })).statistics).toMatchObject({ count: 1, average: 2 });

    const { decisions } = await admin.reviews.getModerationTrail({ reviewId });
    expect(decisions.map((d) => [d.action, d.note, d.moderatorId])).toEqual([
      [ModerationAction.HIDE, "personal data in text", admin.userId],
      [ModerationAction.RESTORE, "edited by the author", admin.userId],
    ]);
    expect(await codeOf(author.reviews.getModerationTrail({ reviewId }))).toBe("PermissionDenied");
    expect(await codeOf(admin.reviews.getModerationTrail({ reviewId: crypto.randomUUID() }))).toBe("NotFound");
  });
});
