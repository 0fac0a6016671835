// The review's enums both ways: domain string unions <-> generated proto enums.
import { enumMapping } from "@triphub/platform";
import { ReviewSort as ProtoSort } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import {
  ModerationAction as ProtoAction,
  ReportReason as ProtoReason,
  ReviewStatus as ProtoStatus,
} from "@triphub/contracts/triphub/review/v1/review_pb";
import type { ModerationAction, ReportReason } from "../domain/review-events.js";
import type { ReviewSort } from "../store/review-list.js";

export const reportReason = enumMapping<ReportReason, ProtoReason>(
  {
    spam: ProtoReason.SPAM,
    offensive: ProtoReason.OFFENSIVE,
    fake: ProtoReason.FAKE,
    irrelevant: ProtoReason.IRRELEVANT,
    private_information: ProtoReason.PRIVATE_INFORMATION,
    other: ProtoReason.OTHER,
  },
  "report reason",
);

export const moderationAction = enumMapping<ModerationAction, ProtoAction>(
  { hide: ProtoAction.HIDE, restore: ProtoAction.RESTORE },
  "moderation action",
);

/** Visible statuses only: a deleted review is never shown. */
export const reviewStatus = enumMapping<"published" | "hidden", ProtoStatus>(
  { published: ProtoStatus.PUBLISHED, hidden: ProtoStatus.HIDDEN },
  "review status",
);

const sorts = enumMapping<ReviewSort, ProtoSort>(
  {
    newest: ProtoSort.NEWEST,
    oldest: ProtoSort.OLDEST,
    highest: ProtoSort.HIGHEST_RATING,
    lowest: ProtoSort.LOWEST_RATING,
    most_helpful: ProtoSort.MOST_HELPFUL,
  },
  "review sort",
);

/** The list order asked for; UNSPECIFIED means newest. */
export const reviewSortOf = (p: ProtoSort): ReviewSort => (p === ProtoSort.UNSPECIFIED ? "newest" : sorts.fromProto(p));
