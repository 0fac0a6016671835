// Reviews both ways: domain Review <-> triphub.review.v1.Review.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type AspectRatings as ProtoAspects,
  type Review as ProtoReview,
  ReviewSchema,
} from "@triphub/contracts/triphub/review/v1/review_pb";
import { ASPECTS, type AspectRatings, etagOf, noAspects, type Review, type ReviewContent } from "../domain/review.js";
import { reviewStatus } from "./enums.js";

/**
 * The contract's Review. `withAuthorId` only for the author and ADMIN (and events): everyone
 * else sees the reviewer by display name and country alone.
 */
export function toProtoReview(r: Review, opts: { withAuthorId: boolean }): ProtoReview {
  return create(ReviewSchema, {
    reviewId: r.reviewId,
    reservationId: opts.withAuthorId ? r.reservationId : "",
    propertyId: r.propertyId,
    authorId: opts.withAuthorId ? r.authorId : "",
    authorDisplayName: r.authorDisplayName,
    authorCountry: r.authorCountry,
    rating: r.rating,
    aspectRatings: { ...r.aspects },
    title: r.title,
    body: r.body,
    language: r.language,
    photoUrls: r.photoUrls,
    stayMonth: r.stayMonth,
    roomTypeName: r.roomTypeName,
    hostReply: r.reply && {
      body: r.reply.body,
      authorId: r.reply.authorId,
      createTime: timestampFromDate(r.reply.createTime),
      updateTime: timestampFromDate(r.reply.updateTime),
    },
    status: reviewStatus.toProto(r.status === "hidden" ? "hidden" : "published"),
    helpfulCount: r.helpfulCount,
    etag: etagOf(r),
    createTime: timestampFromDate(r.createTime),
    updateTime: timestampFromDate(r.updateTime),
  });
}

/** What the author wrote in a request's Review (output-only fields ignored). */
export function contentFromProto(p: ProtoReview): ReviewContent {
  return {
    rating: p.rating,
    aspects: aspectsFromProto(p.aspectRatings),
    title: p.title,
    body: p.body,
    language: p.language,
    photoUrls: [...p.photoUrls],
  };
}

function aspectsFromProto(p: ProtoAspects | undefined): AspectRatings {
  const a = noAspects();
  if (p) for (const k of ASPECTS) a[k] = p[k];
  return a;
}
