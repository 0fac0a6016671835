import type { ServiceImpl } from "@connectrpc/connect";
import type { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { type Clock, DomainError, notFound, requireIdentity } from "@triphub/platform";
import type { Review } from "../domain/review.js";
import { reportReason } from "../proto-mapping/enums.js";
import { toProtoReview } from "../proto-mapping/review.js";
import type { ReviewStore } from "../store/review-store.js";
import { seesAuthor, visible } from "./access.js";

type ResponseRpcs = Pick<ServiceImpl<typeof ReviewService>, "replyToReview" | "reportReview" | "markReviewHelpful">;

/** What others do with a review: the host replies, users report it or find it helpful. */
export function responseRpcs(d: { reviews: ReviewStore; now: Clock }): ResponseRpcs {
  const notTheAuthor = (userId: string, what: string) => (r: Review) => {
    if (r.authorId === userId) throw new DomainError("forbidden", `you cannot ${what} your own review`);
  };
  return {
    async replyToReview(req, ctx) {
      const user = requireIdentity(ctx);
      const now = d.now();
      const next = await d.reviews.change(req.reviewId, now, (current) => {
        visible(ctx, req.reviewId, current);
        if (current.hostId !== user.userId) throw new DomainError("forbidden", "only the host of the reviewed property can reply");
        const reply = { body: req.body, authorId: user.userId, createTime: current.reply?.createTime ?? now, updateTime: now };
        const next: Review = { ...current, reply, version: current.version + 1, updateTime: now };
        return { next, events: [{ type: "HostReplied", review: next }] };
      });
      return { review: toProtoReview(next, { withAuthorId: seesAuthor(ctx, next) }) };
    },

    async reportReview(req, ctx) {
      const user = requireIdentity(ctx);
      const check = notTheAuthor(user.userId, "report");
      await d.reviews.report(req.reviewId, { reporterId: user.userId, reason: reportReason.fromProto(req.reason), note: req.note }, d.now(), (r) => {
        visible(ctx, req.reviewId, r);
        check(r);
      });
      return {};
    },

    async markReviewHelpful(req, ctx) {
      const user = requireIdentity(ctx);
      const check = notTheAuthor(user.userId, "vote on");
      const review = await d.reviews.vote(req.reviewId, user.userId, req.helpful, d.now(), (r) => {
        // Hidden reviews take no votes, even from admins.
        if (r.status !== "published") throw notFound("review", req.reviewId);
        check(r);
      });
      return { review: toProtoReview(review, { withAuthorId: seesAuthor(ctx, review) }) };
    },
  };
}
