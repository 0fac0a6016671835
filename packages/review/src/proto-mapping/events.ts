// Review's events as the outbox records them (events.proto): payload message name and binary.
import { create, createRegistry, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import * as ev from "@triphub/contracts/triphub/review/v1/events_pb";
import type { OutboxEntry } from "@triphub/platform/events";
import type { ReviewEvent } from "../domain/review-events.js";
import { moderationAction, reportReason } from "./enums.js";
import { toProtoReview } from "./review.js";
import { toProtoStatistics } from "./statistics.js";

/** Every payload type StreamEvents carries, for Connect JSON callers (google.protobuf.Any). */
export const eventTypes = createRegistry(ev.file_triphub_review_v1_events);

function entry<D extends DescMessage>(streamType: string, streamId: string, schema: D, init: MessageInitShape<D>): OutboxEntry {
  return { streamType, streamId, type: schema.typeName, payload: toBinary(schema, create(schema, init)) };
}

/**
 * The outbox entry of `e`: review events on the review's stream, statistics on the property's
 * "rating_statistics" stream (events.proto). Events go to other services, so they carry the
 * author's id.
 */
export function encodeReviewEvent(e: ReviewEvent): OutboxEntry {
  if (e.type === "RatingStatisticsChanged") {
    return entry("rating_statistics", e.statistics.propertyId, ev.RatingStatisticsChangedSchema, { statistics: toProtoStatistics(e.statistics) });
  }
  const review = toProtoReview(e.review, { withAuthorId: true });
  const on = <D extends DescMessage>(schema: D, init: MessageInitShape<D>) => entry("review", e.review.reviewId, schema, init);
  switch (e.type) {
    case "ReviewCreated":
      return on(ev.ReviewCreatedSchema, { review });
    case "ReviewUpdated":
      return on(ev.ReviewUpdatedSchema, { review, changedFields: e.changedFields });
    case "ReviewDeleted":
      return on(ev.ReviewDeletedSchema, {
        reviewId: e.review.reviewId,
        propertyId: e.review.propertyId,
        reservationId: e.review.reservationId,
        actorId: e.actorId,
      });
    case "HostReplied":
      return on(ev.HostRepliedSchema, { review });
    case "ReviewReported":
      return on(ev.ReviewReportedSchema, {
        reviewId: e.review.reviewId,
        propertyId: e.review.propertyId,
        reporterId: e.reporterId,
        reason: reportReason.toProto(e.reason),
        note: e.note,
      });
    case "ReviewModerated":
      return on(ev.ReviewModeratedSchema, { review, action: moderationAction.toProto(e.action), moderatorId: e.moderatorId, note: e.note });
    default: {
      const unknown: never = e;
      throw new Error(`no encoding for ${(unknown as ReviewEvent).type}`);
    }
  }
}
