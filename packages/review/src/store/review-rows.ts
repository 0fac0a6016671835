// Rows of the reviews table as domain reviews, and back.
import { ASPECTS, type AspectRatings, type Review, type ReviewStatus } from "../domain/review.js";
import type { reviews } from "./schema.js";

export type ReviewRow = typeof reviews.$inferSelect;

export function reviewOf(row: ReviewRow): Review {
  const aspects = Object.fromEntries(ASPECTS.map((a) => [a, row[a] ?? 0])) as AspectRatings;
  return {
    reviewId: row.reviewId,
    reservationId: row.reservationId,
    propertyId: row.propertyId,
    hostId: row.hostId,
    authorId: row.authorId,
    authorDisplayName: row.authorDisplayName,
    authorCountry: row.authorCountry,
    rating: row.rating,
    aspects,
    title: row.title,
    body: row.body,
    language: row.language,
    photoUrls: row.photoUrls,
    stayMonth: row.stayMonth,
    roomTypeName: row.roomTypeName,
    reply:
      row.replyBody !== null && row.replyAuthorId !== null && row.replyCreateTime !== null && row.replyUpdateTime !== null
        ? { body: row.replyBody, authorId: row.replyAuthorId, createTime: row.replyCreateTime, updateTime: row.replyUpdateTime }
        : undefined,
    status: row.status as ReviewStatus,
    helpfulCount: row.helpfulCount,
    version: row.version,
    createTime: row.createTime,
    updateTime: row.updateTime,
  };
}

export function rowOf(r: Review): ReviewRow {
  // An unrated aspect is NULL, so the statistics' per-aspect counts skip it.
  const aspects = Object.fromEntries(ASPECTS.map((a) => [a, r.aspects[a] === 0 ? null : r.aspects[a]])) as Record<
    (typeof ASPECTS)[number],
    number | null
  >;
  return {
    reviewId: r.reviewId,
    reservationId: r.reservationId,
    propertyId: r.propertyId,
    hostId: r.hostId,
    authorId: r.authorId,
    authorDisplayName: r.authorDisplayName,
    authorCountry: r.authorCountry,
    rating: r.rating,
    ...aspects,
    title: r.title,
    body: r.body,
    language: r.language,
    photoUrls: r.photoUrls,
    stayMonth: r.stayMonth,
    roomTypeName: r.roomTypeName,
    replyBody: r.reply?.body ?? null,
    replyAuthorId: r.reply?.authorId ?? null,
    replyCreateTime: r.reply?.createTime ?? null,
    replyUpdateTime: r.reply?.updateTime ?? null,
    status: r.status,
    helpfulCount: r.helpfulCount,
    version: r.version,
    createTime: r.createTime,
    updateTime: r.updateTime,
  };
}
