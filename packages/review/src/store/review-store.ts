// Reviews and everything hanging on them (votes, reports, moderation decisions), written each
// in one transaction with the events it publishes and, when it moves them, the property's
// recomputed statistics.
import { randomUUID } from "node:crypto";
import { DomainError, isUniqueViolation } from "@triphub/platform";
import { appendToOutbox, type EventLog, type EventTx, type OutboxEntry, writeTransaction } from "@triphub/platform/events";
import { and, asc, eq, sql } from "drizzle-orm";
import type { ModerationAction, ReportReason, ReviewEvent } from "../domain/review-events.js";
import { ASPECTS, type Review } from "../domain/review.js";
import type { ReviewDb } from "./db.js";
import { reviewOf, rowOf } from "./review-rows.js";
import { helpfulVotes, moderationDecisions, reviewReports, reviews } from "./schema.js";
import { recomputeStatistics } from "./statistics-store.js";

/** Where review keeps its events and the channel that wakes StreamEvents followers. */
export const EVENT_LOG: EventLog = { table: "events", channel: "review_events" };

/** Turns a domain event into the outbox entry StreamEvents publishes (proto-mapping/events.ts). */
export type EventEncoder = (e: ReviewEvent) => OutboxEntry;

/** A change decided on the current review: the review after it and the events it publishes. */
export interface ReviewChange {
  next: Review;
  events: ReviewEvent[];
  /** Further writes of the same transaction (e.g. the moderation decision's row). */
  also?: (tx: EventTx) => Promise<void>;
}

export interface ReportRecord {
  reporterId: string;
  reason: ReportReason;
  note: string;
  createTime: Date;
  updateTime: Date;
}

export interface DecisionRecord {
  moderatorId: string;
  action: ModerationAction;
  note: string;
  createTime: Date;
}

export type ReviewStore = ReturnType<typeof createReviewStore>;

export function createReviewStore(db: ReviewDb, encode: EventEncoder) {
  /** Whether the review counts in its property's statistics, and with what. */
  const counted = (r: Review) => (r.status === "published" ? JSON.stringify([r.rating, ASPECTS.map((a) => r.aspects[a])]) : "");

  /** Publishes `events`, plus the property's new statistics when `before` → `after` moves them. */
  async function publish(tx: EventTx, before: Review | undefined, after: Review, events: ReviewEvent[], now: Date) {
    const all = [...events];
    if ((before ? counted(before) : "") !== counted(after)) {
      const [statistics] = await recomputeStatistics(tx, [after.propertyId], now);
      all.push({ type: "RatingStatisticsChanged", statistics });
    }
    await appendToOutbox(tx, EVENT_LOG, all.map(encode));
  }

  async function lockReview(tx: EventTx, reviewId: string): Promise<Review | undefined> {
    const [row] = await tx.select().from(reviews).where(eq(reviews.reviewId, reviewId)).for("update");
    return row && row.status !== "deleted" ? reviewOf(row) : undefined;
  }

  const missing = (reviewId: string) => new DomainError("not_found", `review ${reviewId} not found`);

  return {
    /** The review, unless there is none or it was deleted. */
    async get(reviewId: string): Promise<Review | undefined> {
      const [row] = await db.select().from(reviews).where(eq(reviews.reviewId, reviewId));
      return row && row.status !== "deleted" ? reviewOf(row) : undefined;
    },

    /** Whether the review exists or existed (deleted reviews keep their moderation trail). */
    async known(reviewId: string): Promise<boolean> {
      const rows = await db.select({ id: reviews.reviewId }).from(reviews).where(eq(reviews.reviewId, reviewId));
      return rows.length > 0;
    },

    /** Records a new review; ALREADY_EXISTS when its reservation was reviewed before (deleted reviews included). */
    async create(review: Review): Promise<Review> {
      try {
        return await writeTransaction(db, async (tx) => {
          await tx.insert(reviews).values(rowOf(review));
          await publish(tx, undefined, review, [{ type: "ReviewCreated", review }], review.createTime);
          return review;
        });
      } catch (e) {
        if (isUniqueViolation(e, "reviews_reservation_id_key")) {
          throw new DomainError("already_exists", `reservation ${review.reservationId} has been reviewed already`, { cause: e });
        }
        throw e;
      }
    },

    /**
     * Changes a review under its row lock: `decide` sees the current review (throwing to
     * refuse) and says what follows; NOT_FOUND when there is none.
     */
    async change(reviewId: string, now: Date, decide: (current: Review) => ReviewChange): Promise<Review> {
      return writeTransaction(db, async (tx) => {
        const current = await lockReview(tx, reviewId);
        if (!current) throw missing(reviewId);
        const { next, events, also } = decide(current);
        await tx.update(reviews).set(rowOf(next)).where(eq(reviews.reviewId, reviewId));
        await also?.(tx);
        await publish(tx, current, next, events, now);
        return next;
      });
    },

    /**
     * Sets or withdraws `userId`'s helpful mark; `check` refuses callers who may not vote.
     * Votes are not edits: the etag stays.
     */
    async vote(reviewId: string, userId: string, helpful: boolean, now: Date, check: (r: Review) => void): Promise<Review> {
      return db.transaction(async (tx) => {
        const current = await lockReview(tx, reviewId);
        if (!current) throw missing(reviewId);
        check(current);
        const changed = helpful
          ? await tx.insert(helpfulVotes).values({ reviewId, userId, createTime: now }).onConflictDoNothing().returning()
          : await tx.delete(helpfulVotes).where(and(eq(helpfulVotes.reviewId, reviewId), eq(helpfulVotes.userId, userId))).returning();
        if (changed.length === 0) return current;
        const helpfulCount = current.helpfulCount + (helpful ? 1 : -1);
        await tx.update(reviews).set({ helpfulCount }).where(eq(reviews.reviewId, reviewId));
        return { ...current, helpfulCount };
      });
    },

    /** Records (or updates) `reporterId`'s report; `check` refuses callers who may not report. */
    async report(reviewId: string, report: Omit<ReportRecord, "createTime" | "updateTime">, now: Date, check: (r: Review) => void) {
      await writeTransaction(db, async (tx) => {
        const [row] = await tx.select().from(reviews).where(eq(reviews.reviewId, reviewId)).for("share");
        if (!row || row.status === "deleted") throw missing(reviewId);
        const review = reviewOf(row);
        check(review);
        await tx
          .insert(reviewReports)
          .values({ reviewId, ...report, createTime: now, updateTime: now })
          .onConflictDoUpdate({
            target: [reviewReports.reviewId, reviewReports.reporterId],
            set: { reason: report.reason, note: report.note, updateTime: now },
          });
        await appendToOutbox(tx, EVENT_LOG, [encode({ type: "ReviewReported", review, ...report })]);
      });
    },

    /** Writes a moderation decision's row (in the transaction of the change it records). */
    recordDecision: (tx: EventTx, reviewId: string, d: DecisionRecord) =>
      tx.insert(moderationDecisions).values({ decisionId: randomUUID(), reviewId, ...d }).then(() => undefined),

    /** A review's reports and moderation decisions, oldest first. */
    async trail(reviewId: string): Promise<{ reports: ReportRecord[]; decisions: DecisionRecord[] }> {
      const [reports, decisions] = await Promise.all([
        db.select().from(reviewReports).where(eq(reviewReports.reviewId, reviewId)).orderBy(asc(reviewReports.createTime)),
        db
          .select()
          .from(moderationDecisions)
          .where(eq(moderationDecisions.reviewId, reviewId))
          .orderBy(asc(moderationDecisions.createTime), asc(sql`decision_id`)),
      ]);
      return {
        reports: reports.map((r) => ({ ...r, reason: r.reason as ReportReason })),
        decisions: decisions.map((d) => ({ ...d, action: d.action as ModerationAction })),
      };
    },
  };
}
