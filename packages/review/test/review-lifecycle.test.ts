// Writing, reading, editing and deleting reviews, against the real reservation service: only
// completed stays of one's own, once, within 30 days of check-out; edits for 48 hours.
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import type { Reservation } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { ReviewStatus } from "@triphub/contracts/triphub/review/v1/review_pb";
import { clientAs } from "@triphub/test-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bookedStay,
  codeOf,
  completeStay,
  completedStays,
  listedProperty,
  type ReviewPlatform,
  startReviewPlatform,
  type User,
} from "./review-platform.js";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let p: ReviewPlatform;
let host: User;
let room: { propertyId: string; roomTypeId: string };
beforeAll(async () => {
  p = await startReviewPlatform("review_lifecycle");
  host = await p.host();
  room = await listedProperty(host);
}, 60_000);
afterAll(() => p?.close());

const write = (guest: User, stay: Reservation, body = "Warm floors, quiet lane, kind host.") =>
  guest.reviews.createReview({ review: { reservationId: stay.reservationId, rating: 5, title: "Lovely", body } });

describe("who may review which stay", () => {
  it("refuses a stay that is not completed yet, then takes it once reservation completes it", async () => {
    const guest = await p.guest();
    const stay = await bookedStay(p, guest, room);
    expect(await codeOf(write(guest, stay))).toBe("FailedPrecondition");
    const back = await completeStay(p, guest, stay);
    const me = clientAs(p.auth.running, AuthService, back.stack);
    await me.updateMe({ user: { displayName: "Minji", locale: "ko-KR" }, updateMask: { paths: ["display_name", "locale"] } });

    const { review } = await back.reviews.createReview({
      review: {
        reservationId: stay.reservationId,
        rating: 4,
        aspectRatings: { cleanliness: 5, accuracy: 4, checkIn: 3 },
        title: "따뜻한 방",
        body: "온돌이 따뜻하고 조용했어요.",
        photoUrls: ["https://cdn.example.com/room.jpg"],
      },
    });
    expect(review).toMatchObject({
      propertyId: room.propertyId,
      authorId: back.userId,
      reservationId: stay.reservationId,
      authorDisplayName: "Minji",
      authorCountry: "KR",
      rating: 4,
      aspectRatings: { cleanliness: 5, accuracy: 4, checkIn: 3, location: 0 },
      language: "ko",
      stayMonth: stay.checkIn.slice(0, 7),
      roomTypeName: "Ondol Double",
      status: ReviewStatus.PUBLISHED,
      photoUrls: ["https://cdn.example.com/room.jpg"],
    });
    expect(review?.etag).not.toBe("");

    // The public sees the reviewer by display name and country only.
    const { review: seen } = await p.anonymous.getReview({ reviewId: review!.reviewId });
    expect(seen).toMatchObject({ authorDisplayName: "Minji", authorCountry: "KR", authorId: "", reservationId: "", body: "온돌이 따뜻하고 조용했어요." });
    const { review: own } = await back.reviews.getReview({ reviewId: review!.reviewId });
    expect(own?.authorId).toBe(back.userId);
  });

  it("takes one review per stay", async () => {
    const [{ guest, stay }] = await completedStays(p, room, [await p.guest()]);
    expect(await codeOf(write(guest, stay))).toBe("OK");
    expect(await codeOf(write(guest, stay))).toBe("AlreadyExists");
  });

  it("answers someone else's stay, and one that does not exist, as NOT_FOUND", async () => {
    const [{ stay }] = await completedStays(p, room, [await p.guest()]);
    const stranger = await p.guest();
    expect(await codeOf(write(stranger, stay))).toBe("NotFound");
    expect(await codeOf(write(stranger, { ...stay, reservationId: crypto.randomUUID() }))).toBe("NotFound");
    // Not even a host or an admin writes a guest's review.
    expect(await codeOf(write(await p.again(host), stay))).toBe("NotFound");
    expect(await codeOf(write(await p.again(p.admin), stay))).toBe("NotFound");
  });

  it("needs a signed-in caller", async () => {
    const call = p.anonymous.createReview({ review: { reservationId: crypto.randomUUID(), rating: 5, body: "x" } });
    expect(await codeOf(call)).toBe("Unauthenticated");
  });
});

describe("editing and deleting", () => {
  it("lets the author edit for 48 hours, with etags, and nobody else", async () => {
    const [{ guest, stay }] = await completedStays(p, room, [await p.guest()]);
    const { review } = await write(guest, stay);
    const id = review!.reviewId;

    const { review: edited } = await guest.reviews.updateReview({
      review: { reviewId: id, rating: 3, body: "Floors warm, but noisy at night.", etag: review!.etag },
      updateMask: { paths: ["rating", "body"] },
    });
    expect(edited).toMatchObject({ rating: 3, body: "Floors warm, but noisy at night.", title: "Lovely" });
    expect(edited?.etag).not.toBe(review!.etag);
    // A stale etag: someone changed it since.
    const stale = guest.reviews.updateReview({ review: { reviewId: id, title: "Old", etag: review!.etag }, updateMask: { paths: ["title"] } });
    expect(await codeOf(stale)).toBe("Aborted");
    // The body may not be emptied.
    const emptied = guest.reviews.updateReview({ review: { reviewId: id, body: "  " }, updateMask: { paths: ["body"] } });
    expect(await codeOf(emptied)).toBe("InvalidArgument");
    const other = await p.guest();
    expect(await codeOf(other.reviews.updateReview({ review: { reviewId: id, title: "Mine now" } }))).toBe("PermissionDenied");

    p.clock.advance(47 * HOUR);
    const author = await p.again(guest);
    expect(await codeOf(author.reviews.updateReview({ review: { reviewId: id, title: "Still fine" } }))).toBe("OK");
    p.clock.advance(2 * HOUR);
    const late = (await p.again(guest)).reviews.updateReview({ review: { reviewId: id, title: "Too late" } });
    expect(await codeOf(late)).toBe("FailedPrecondition");
    const { review: now } = await p.anonymous.getReview({ reviewId: id });
    expect(now?.title).toBe("Still fine");
  });

  it("lets the author or an admin delete, after which the stay stays reviewed", async () => {
    const [a, b] = await completedStays(p, room, [await p.guest(), await p.guest()]);
    const { review: ra } = await write(a.guest, a.stay);
    const { review: rb } = await write(b.guest, b.stay);
    expect(await codeOf(b.guest.reviews.deleteReview({ reviewId: ra!.reviewId }))).toBe("PermissionDenied");
    expect(await codeOf(a.guest.reviews.deleteReview({ reviewId: ra!.reviewId, etag: "W/\"0\"" }))).toBe("Aborted");
    expect(await codeOf(a.guest.reviews.deleteReview({ reviewId: ra!.reviewId }))).toBe("OK");
    expect(await codeOf(p.anonymous.getReview({ reviewId: ra!.reviewId }))).toBe("NotFound");
    expect(await codeOf(a.guest.reviews.getReview({ reviewId: ra!.reviewId }))).toBe("NotFound");
    expect(await codeOf(write(a.guest, a.stay))).toBe("AlreadyExists");
    expect(await codeOf((await p.again(p.admin)).reviews.deleteReview({ reviewId: rb!.reviewId }))).toBe("OK");
    expect(await codeOf(p.anonymous.getReview({ reviewId: rb!.reviewId }))).toBe("NotFound");
  });
});

// Last: it moves the clock a month ahead, past the refresh tokens of users not signed in since.
describe("the review window", () => {
  it("closes 30 days after check-out", async () => {
    const [a, b] = await completedStays(p, room, [await p.guest(), await p.guest()]);
    p.clock.advance(29 * DAY);
    expect(await codeOf(write(await p.again(a.guest), a.stay))).toBe("OK");
    await p.again(b.guest);
    p.clock.advance(2 * DAY);
    expect(await codeOf(write(await p.again(b.guest), b.stay))).toBe("FailedPrecondition");
  });
});
