// The drizzle schema: the tables this service owns. After changing it, run `pnpm db:generate`
// in this package and commit the new drizzle/NNNN_*.sql; never edit a committed one.
import { eventsTable } from "@triphub/platform/events";
import { sql } from "drizzle-orm";
import { bigint, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Millisecond precision matches JavaScript's Date, so a time read back compares equal.
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
const aspect = (name: string) => smallint(name);

/** The outbox StreamEvents publishes: review events and each property's statistics changes. */
export const events = eventsTable("events");

/**
 * Reviews, one per reservation. A deleted review stays as a tombstone (status "deleted", its
 * text and photos erased) so the stay cannot be reviewed a second time.
 */
export const reviews = pgTable(
  "reviews",
  {
    reviewId: uuid("review_id").primaryKey(),
    reservationId: uuid("reservation_id").notNull().unique("reviews_reservation_id_key"),
    propertyId: uuid("property_id").notNull(),
    /** The property's host when the stay was reviewed: the one who may reply. */
    hostId: uuid("host_id").notNull(),
    authorId: uuid("author_id").notNull(),
    authorDisplayName: text("author_display_name").notNull(),
    authorCountry: text("author_country").notNull(),
    rating: smallint("rating").notNull(),
    cleanliness: aspect("cleanliness"),
    accuracy: aspect("accuracy"),
    location: aspect("location"),
    value: aspect("value"),
    service: aspect("service"),
    checkIn: aspect("check_in"),
    comfort: aspect("comfort"),
    facilities: aspect("facilities"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    language: text("language").notNull(),
    photoUrls: text("photo_urls").array().notNull(),
    stayMonth: text("stay_month").notNull(),
    roomTypeName: text("room_type_name").notNull(),
    replyBody: text("reply_body"),
    replyAuthorId: uuid("reply_author_id"),
    replyCreateTime: ts("reply_create_time"),
    replyUpdateTime: ts("reply_update_time"),
    /** "published", "hidden" (by a moderator) or "deleted". */
    status: text("status").notNull(),
    helpfulCount: integer("helpful_count").notNull().default(0),
    /** Bumped by every change; the etag. */
    version: integer("version").notNull(),
    createTime: ts("create_time").notNull(),
    updateTime: ts("update_time").notNull(),
  },
  (t) => [
    check("reviews_rating_range", sql`${t.rating} between 1 and 5`),
    check("reviews_status", sql`${t.status} in ('published', 'hidden', 'deleted')`),
    // ListReviews: a property's published reviews in each order it offers.
    index("reviews_property_newest_idx").on(t.propertyId, t.createTime, t.reviewId).where(sql`${t.status} = 'published'`),
    index("reviews_property_rating_idx").on(t.propertyId, t.rating, t.createTime, t.reviewId).where(sql`${t.status} = 'published'`),
    index("reviews_property_helpful_idx").on(t.propertyId, t.helpfulCount, t.createTime, t.reviewId).where(sql`${t.status} = 'published'`),
  ],
);

/** "Helpful" marks: one per user and review. */
export const helpfulVotes = pgTable(
  "helpful_votes",
  {
    reviewId: uuid("review_id").notNull(),
    userId: uuid("user_id").notNull(),
    createTime: ts("create_time").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.userId] })],
);

/** Reports of reviews: one per user and review, which a second report updates. */
export const reviewReports = pgTable(
  "review_reports",
  {
    reviewId: uuid("review_id").notNull(),
    reporterId: uuid("reporter_id").notNull(),
    reason: text("reason").notNull(),
    note: text("note").notNull(),
    createTime: ts("create_time").notNull(),
    updateTime: ts("update_time").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.reporterId] })],
);

/** Moderators' decisions: append-only (nothing updates or deletes a row), the moderation trail. */
export const moderationDecisions = pgTable(
  "moderation_decisions",
  {
    decisionId: uuid("decision_id").primaryKey(),
    reviewId: uuid("review_id").notNull(),
    moderatorId: uuid("moderator_id").notNull(),
    /** "hide" or "restore". */
    action: text("action").notNull(),
    note: text("note").notNull(),
    createTime: ts("create_time").notNull(),
  },
  (t) => [index("moderation_decisions_review_idx").on(t.reviewId, t.createTime)],
);

/**
 * Each reviewed property's statistics over its published reviews, recomputed in the
 * transaction of every change that moves them. The row is also the lock that makes those
 * transactions take turns per property, so each recomputation sees the ones before it.
 */
export const ratingStatistics = pgTable("rating_statistics", {
  propertyId: uuid("property_id").primaryKey(),
  /** Bumped by every change: RatingStatistics.version. */
  version: bigint("version", { mode: "number" }).notNull(),
  count: integer("count").notNull(),
  ratingSum: integer("rating_sum").notNull(),
  /** Reviews per overall rating, for ratings 1 to 5. */
  histogram: integer("histogram").array().notNull(),
  /** Per aspect: {sum, count} over the reviews that rated it. */
  aspects: jsonb("aspects").$type<Record<string, { sum: number; count: number }>>().notNull(),
  average: doublePrecision("average").notNull(),
  rankingScore: doublePrecision("ranking_score").notNull(),
  updateTime: ts("update_time").notNull(),
});
