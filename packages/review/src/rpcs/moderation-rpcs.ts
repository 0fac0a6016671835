import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import type { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { type Clock, notFound, requireRole } from "@triphub/platform";
import type { Review } from "../domain/review.js";
import { moderationAction, reportReason } from "../proto-mapping/enums.js";
import { toProtoReview } from "../proto-mapping/review.js";
import type { ReviewStore } from "../store/review-store.js";

type ModerationRpcs = Pick<ServiceImpl<typeof ReviewService>, "moderateReview" | "getModerationTrail">;

/** Admins hide and restore reviews; every decision is kept with its reason. */
export function moderationRpcs(d: { reviews: ReviewStore; now: Clock }): ModerationRpcs {
  return {
    async moderateReview(req, ctx) {
      const admin = requireRole(ctx, "ADMIN");
      const action = moderationAction.fromProto(req.action);
      const now = d.now();
      const next = await d.reviews.change(req.reviewId, now, (current) => {
        const status = action === "hide" ? "hidden" : "published";
        // Idempotent: asking for the state it is in records nothing.
        if (current.status === status) return { next: current, events: [] };
        const next: Review = { ...current, status, version: current.version + 1, updateTime: now };
        return {
          next,
          events: [{ type: "ReviewModerated", review: next, action, moderatorId: admin.userId, note: req.note }],
          also: (tx) => d.reviews.recordDecision(tx, req.reviewId, { moderatorId: admin.userId, action, note: req.note, createTime: now }),
        };
      });
      return { review: toProtoReview(next, { withAuthorId: true }) };
    },

    async getModerationTrail(req, ctx) {
      requireRole(ctx, "ADMIN");
      if (!(await d.reviews.known(req.reviewId))) throw notFound("review", req.reviewId);
      const trail = await d.reviews.trail(req.reviewId);
      return {
        reports: trail.reports.map((r) => ({
          reporterId: r.reporterId,
          reason: reportReason.toProto(r.reason),
          note: r.note,
          createTime: timestampFromDate(r.createTime),
          updateTime: timestampFromDate(r.updateTime),
        })),
        decisions: trail.decisions.map((x) => ({
          moderatorId: x.moderatorId,
          action: moderationAction.toProto(x.action),
          note: x.note,
          createTime: timestampFromDate(x.createTime),
        })),
      };
    },
  };
}
