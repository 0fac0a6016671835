// Bad input is answered INVALID_ARGUMENT, says what was wrong, and stores nothing: asked about a
// stay that could be reviewed, so a refusal is the input's doing.
import { Code, ConnectError } from "@connectrpc/connect";
import { sql } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { buildGateway, loadGatewayConfig } from "@triphub/gateway";
import { createLogger, createTokenVerifier } from "@triphub/platform";
import { type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completedStays, listedProperty, type ReviewPlatform, startReviewPlatform, type User } from "./review-platform.js";

let p: ReviewPlatform;
let guest: User;
let reservationId: string;
let gateway: RunningService;
beforeAll(async () => {
  p = await startReviewPlatform("review_bad_input");
  const [done] = await completedStays(p, await listedProperty(await p.host()), [await p.guest()]);
  guest = done.guest;
  reservationId = done.stay.reservationId;
  gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({ UPSTREAMS: `review=${p.review.url}`, AUTH_JWKS_URL: p.auth.jwksUrl, AUTH_ISSUER: p.auth.issuer, AUTH_AUDIENCE: p.auth.audience }),
      log: createLogger({ service: "gateway-test", level: "silent" }),
      // The platform's clock is ahead of the real one (it passed the check-out).
      verifyToken: createTokenVerifier({ jwks: p.auth.jwksUrl, issuer: p.auth.issuer, audience: p.auth.audience, now: p.clock.now }),
    }),
  );
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  await p?.close();
});

const rows = async () => {
  const db = p.reviewDb.db as PostgresJsDatabase<Record<string, unknown>>;
  const [r] = await db.execute<{ reviews: number; events: number }>(
    sql`select (select count(*) from reviews)::int as reviews, (select count(*) from events)::int as events`,
  );
  return r;
};

const valid = { rating: 4, title: "Good", body: "Quiet and clean." };

describe("CreateReview refuses", () => {
  it.each([
    ["rating 0", { rating: 0 }, "rating"],
    ["rating 6", { rating: 6 }, "rating"],
    ["an aspect rated 9", { aspectRatings: { cleanliness: 9 } }, "cleanliness"],
    ["no text", { body: "" }, "body"],
    ["only white space", { body: " \n\t " }, "body"],
    ["text over 5,000 characters", { body: "a".repeat(5001) }, "body"],
    ["a title over 120 characters", { title: "t".repeat(121) }, "title"],
    ["a photo URL that is not https", { photoUrls: ["http://cdn.example.com/a.jpg"] }, "photo_urls"],
    ["a photo that is not a URL", { photoUrls: ["https://bad host/a.jpg"] }, "photo_urls"],
    ["eleven photos", { photoUrls: Array.from({ length: 11 }, (_, i) => `https://cdn.example.com/${i}.jpg`) }, "photo_urls"],
  ])("%s, storing nothing", async (_what, change, field) => {
    const before = await rows();
    const err = await guest.reviews.createReview({ review: { reservationId, ...valid, ...change } }).catch((e: unknown) => ConnectError.from(e));
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toContain(field);
    expect(await rows()).toEqual(before);
  });

  it("10 MB of text, storing nothing", async () => {
    const before = await rows();
    const err = await guest.reviews
      .createReview({ review: { reservationId, ...valid, body: "x".repeat(10 * 1024 * 1024) } })
      .catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect(await rows()).toEqual(before);
  });

  it("over REST through the gateway: 10 MB of text (413), rating 6 and an http photo (400), each INVALID_ARGUMENT saying what", async () => {
    const before = await rows();
    const post = (review: object) =>
      fetch(`${gateway.url}/api/v1/reviews`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${guest.stack.token}` },
        body: JSON.stringify({ reservationId, ...valid, ...review }),
      });
    for (const [review, field] of [
      [{ body: "x".repeat(10 * 1024 * 1024) }, "too large"],
      [{ rating: 6 }, "rating"],
      [{ photoUrls: ["http://cdn.example.com/a.jpg"] }, "photo_urls"],
    ] as const) {
      const res = await post(review);
      // A body past the gateway's limit is 413, still INVALID_ARGUMENT in the JSON.
      expect(res.status).toBe(field === "too large" ? 413 : 400);
      const body = (await res.json()) as { code: number; message: string };
      expect(body.code).toBe(Code.InvalidArgument);
      expect(body.message).toContain(field);
    }
    expect(await rows()).toEqual(before);
  });

  it("a reservation id that is not a UUID", async () => {
    const err = await guest.reviews.createReview({ review: { ...valid, reservationId: "42" } }).catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
  });

  it("and then takes the same review made valid", async () => {
    const { review } = await guest.reviews.createReview({ review: { reservationId, ...valid } });
    expect(review?.rating).toBe(4);
    expect(await rows()).toMatchObject({ reviews: 1 });
  });
});

describe("other requests refuse", () => {
  it("an unknown update mask path, a bad moderation action, a page size over 50", async () => {
    const code = (call: Promise<unknown>) => call.then(() => Code.Unknown, (e: unknown) => ConnectError.from(e).code);
    const id = crypto.randomUUID();
    expect(await code(guest.reviews.updateReview({ review: { reviewId: id, title: "x" }, updateMask: { paths: ["author_id"] } }))).toBe(Code.InvalidArgument);
    expect(await code(guest.reviews.moderateReview({ reviewId: id, action: 0, note: "x" }))).toBe(Code.InvalidArgument);
    expect(await code(p.anonymous.listReviews({ propertyId: id, pageSize: 51 }))).toBe(Code.InvalidArgument);
    expect(await code(p.anonymous.listReviews({ propertyId: id, ratings: [0] }))).toBe(Code.InvalidArgument);
    expect(await code(guest.reviews.replyToReview({ reviewId: id, body: "" }))).toBe(Code.InvalidArgument);
  });
});
