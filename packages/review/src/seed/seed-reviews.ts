// The demo reviews: most reviewers' completed stays get a review, written a few days after
// check-out, with ratings around a level each property keeps across its reviews. Deterministic
// (every number comes from a hash of the ids), so every machine gets the same demo; re-running
// adds only what is missing. Seeded reviews are loaded as history, without a ReviewCreated
// event each; each property's statistics are then recomputed and published as any change is,
// which is what accommodation mirrors into search.
import { createHash } from "node:crypto";
import { uuidFromName } from "@triphub/platform";
import { appendToOutbox, writeTransaction } from "@triphub/platform/events";
import { sql } from "drizzle-orm";
import type { Stay } from "../domain/review-rules.js";
import { ASPECTS, type AspectRatings, noAspects, type Review } from "../domain/review.js";
import { encodeReviewEvent } from "../proto-mapping/events.js";
import type { ReviewDb } from "../store/db.js";
import { EVENT_LOG } from "../store/review-store.js";
import { rowOf } from "../store/review-rows.js";
import { reviews } from "../store/schema.js";
import { recomputeStatistics } from "../store/statistics-store.js";
import { reviewText } from "./review-texts.js";

/** A completed stay, as reservation's read model has it. */
export type SeedStay = Omit<Stay, "completed">;

/** A reviewer as auth has them. */
export interface SeedProfile {
  displayName: string;
  country: string;
  locale: string;
}

export interface SeedReviewsInput {
  stays: SeedStay[];
  profiles: Map<string, SeedProfile>;
  now: Date;
}

const DAY = 24 * 3600_000;
const BATCH = 500;

/** A number in [0, 1) from `parts`: the same everywhere for the same ids. */
function unit(...parts: string[]): number {
  return createHash("sha256").update(parts.join("/")).digest().readUInt32BE(0) / 2 ** 32;
}

const clampRating = (x: number) => Math.min(5, Math.max(1, Math.round(x)));

/** The review `stay`'s guest writes, or undefined for the one stay in five that gets none. */
export function demoReview(stay: SeedStay, profile: SeedProfile, now: Date): Review | undefined {
  const id = stay.reservationId;
  if (unit(id, "reviewed") < 0.2) return undefined;
  // Each property has a level its reviews scatter around.
  const level = 3.2 + unit(stay.propertyId, "level") * 1.75;
  const rating = clampRating(level + (unit(id, "rating") - 0.5) * 2.2);
  const aspects: AspectRatings = noAspects();
  for (const a of ASPECTS) {
    if (unit(id, a, "rated") < 0.6) aspects[a] = clampRating(rating + (unit(id, a) - 0.5) * 2);
  }
  const written = new Date(Math.min(stay.checkOutAt.getTime() + (0.2 + unit(id, "delay") * 12) * DAY, now.getTime() - 60_000));
  const text = reviewText(profile.locale, rating, unit(id, "text"));
  return {
    reviewId: uuidFromName(`triphub-demo/review/${id}`),
    reservationId: id,
    propertyId: stay.propertyId,
    hostId: stay.hostId,
    authorId: stay.guestId,
    authorDisplayName: profile.displayName,
    authorCountry: profile.country,
    rating,
    aspects,
    ...text,
    photoUrls: [],
    stayMonth: stay.checkIn.slice(0, 7),
    roomTypeName: stay.roomTypeName,
    status: "published",
    helpfulCount: 0,
    version: 1,
    createTime: written,
    updateTime: written,
  };
}

/** Writes the demo reviews that are missing and republishes the statistics of the properties they touch. */
export async function seedReviews(db: ReviewDb, input: SeedReviewsInput): Promise<{ written: number; properties: number }> {
  const planned: Review[] = [];
  for (const stay of input.stays) {
    const profile = input.profiles.get(stay.guestId);
    const review = profile && stay.checkOutAt < input.now ? demoReview(stay, profile, input.now) : undefined;
    if (review) planned.push(review);
  }
  let written = 0;
  const touched = new Set<string>();
  for (let i = 0; i < planned.length; i += BATCH) {
    const rows = await db
      .insert(reviews)
      .values(planned.slice(i, i + BATCH).map(rowOf))
      .onConflictDoNothing()
      .returning({ propertyId: reviews.propertyId });
    written += rows.length;
    for (const r of rows) touched.add(r.propertyId);
  }
  const properties = [...touched].sort();
  for (let i = 0; i < properties.length; i += BATCH) {
    await writeTransaction(db, async (tx) => {
      const stats = await recomputeStatistics(tx, properties.slice(i, i + BATCH), input.now);
      await appendToOutbox(
        tx,
        EVENT_LOG,
        stats.map((statistics) => encodeReviewEvent({ type: "RatingStatisticsChanged", statistics })),
      );
    });
  }
  return { written, properties: properties.length };
}

/** How many reviews the database holds (the devstack's summary line). */
export async function countReviews(db: ReviewDb): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from reviews`);
  return row?.n ?? 0;
}
