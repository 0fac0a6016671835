import { randomUUID } from "node:crypto";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { type Clock, DomainError, type Identity, notFound, requireIdentity } from "@triphub/platform";
import { pageSize } from "@triphub/platform/page-token";
import type { Directory } from "../clients.js";
import { guessLanguage } from "../domain/language.js";
import { applyEdit, assertContent, assertEditable, assertReviewable, populatedFields } from "../domain/review-rules.js";
import { type EditableField, etagOf, type Review, type ReviewContent } from "../domain/review.js";
import { reviewSortOf } from "../proto-mapping/enums.js";
import { contentFromProto, toProtoReview } from "../proto-mapping/review.js";
import type { ReviewDb } from "../store/db.js";
import { listReviews } from "../store/review-list.js";
import type { ReviewStore } from "../store/review-store.js";
import { assertEtag, isAdmin, seesAuthor, visible } from "./access.js";

type ReviewRpcs = Pick<ServiceImpl<typeof ReviewService>, "createReview" | "getReview" | "listReviews" | "updateReview" | "deleteReview">;

export interface ReviewRpcDeps {
  db: ReviewDb;
  reviews: ReviewStore;
  directory: Directory;
  now: Clock;
}

// When the reservation names no host (it always does for a listed property), nobody may reply.
const NO_HOST = "00000000-0000-0000-0000-000000000000";

const DEFAULT_PAGE = 20;
const MAX_PAGE = 50;

/** Throws unless `user` wrote `r`: NOT_FOUND when they cannot even see it, else PERMISSION_DENIED. */
export function requireAuthor(ctx: HandlerContext, user: Identity, r: Review, orAdmin = false): void {
  if (r.authorId === user.userId || (orAdmin && isAdmin(user))) return;
  visible(ctx, r.reviewId, r);
  throw new DomainError("forbidden", "only the review's author can do this");
}

const contentOf = (r: Review): ReviewContent => ({
  rating: r.rating,
  aspects: r.aspects,
  title: r.title,
  body: r.body,
  language: r.language,
  photoUrls: r.photoUrls,
});

/** Writing, reading, editing and deleting reviews. */
export function reviewRpcs(d: ReviewRpcDeps): ReviewRpcs {
  return {
    async createReview(req, ctx) {
      const user = requireIdentity(ctx);
      const input = req.review!;
      const content = contentFromProto(input);
      assertContent(content);
      const stay = await d.directory.stay(input.reservationId);
      // Someone else's stay is answered like one that does not exist, so ids cannot be probed.
      if (!stay || stay.guestId !== user.userId) throw notFound("reservation", input.reservationId);
      const now = d.now();
      assertReviewable(stay, now);
      const author = await d.directory.profile(user.userId);
      const review: Review = {
        ...content,
        language: content.language || guessLanguage(`${content.title} ${content.body}`),
        reviewId: randomUUID(),
        reservationId: stay.reservationId,
        propertyId: stay.propertyId,
        hostId: stay.hostId || NO_HOST,
        authorId: user.userId,
        authorDisplayName: author.displayName,
        authorCountry: author.country,
        stayMonth: stay.checkIn.slice(0, 7),
        roomTypeName: stay.roomTypeName,
        status: "published",
        helpfulCount: 0,
        version: 1,
        createTime: now,
        updateTime: now,
      };
      return { review: toProtoReview(await d.reviews.create(review), { withAuthorId: true }) };
    },

    async getReview(req, ctx) {
      const review = visible(ctx, req.reviewId, await d.reviews.get(req.reviewId));
      return { review: toProtoReview(review, { withAuthorId: seesAuthor(ctx, review) }) };
    },

    async listReviews(req) {
      const page = await listReviews(d.db, {
        propertyId: req.propertyId,
        sort: reviewSortOf(req.sort),
        ratings: req.ratings,
        language: req.language,
        pageSize: pageSize(req.pageSize, DEFAULT_PAGE, MAX_PAGE),
        pageToken: req.pageToken,
      });
      // Public and shared by caches: nobody's ids, whoever asks.
      return {
        reviews: page.reviews.map((r) => toProtoReview(r, { withAuthorId: false })),
        nextPageToken: page.nextPageToken,
        totalSize: page.totalSize,
      };
    },

    async updateReview(req, ctx) {
      const user = requireIdentity(ctx);
      const patch = req.review!;
      const edit = contentFromProto(patch);
      const fields = req.updateMask?.paths.length ? (req.updateMask.paths as EditableField[]) : populatedFields(edit);
      const now = d.now();
      const next = await d.reviews.change(patch.reviewId, now, (current) => {
        requireAuthor(ctx, user, current);
        assertEtag(patch.etag, etagOf(current));
        assertEditable(current, now);
        const { content, changed } = applyEdit(contentOf(current), edit, fields);
        assertContent(content);
        if (changed.length === 0) return { next: current, events: [] };
        const language = content.language || guessLanguage(`${content.title} ${content.body}`);
        const next = { ...current, ...content, language, version: current.version + 1, updateTime: now };
        return { next, events: [{ type: "ReviewUpdated", review: next, changedFields: changed }] };
      });
      return { review: toProtoReview(next, { withAuthorId: true }) };
    },

    async deleteReview(req, ctx) {
      const user = requireIdentity(ctx);
      const now = d.now();
      await d.reviews.change(req.reviewId, now, (current) => {
        requireAuthor(ctx, user, current, true);
        assertEtag(req.etag, etagOf(current));
        // The text goes; the row stays so the stay cannot be reviewed again.
        const next: Review = {
          ...current,
          status: "deleted",
          title: "",
          body: "",
          photoUrls: [],
          reply: undefined,
          version: current.version + 1,
          updateTime: now,
        };
        return { next, events: [{ type: "ReviewDeleted", review: next, actorId: user.userId }] };
      });
      return {};
    },
  };
}
