// What review publishes (events.proto), in domain terms; proto-mapping/events.ts encodes them.
import type { RatingStatistics } from "./rating-statistics.js";
import type { EditableField, Review } from "./review.js";

export type ReportReason = "spam" | "offensive" | "fake" | "irrelevant" | "private_information" | "other";
export type ModerationAction = "hide" | "restore";

export type ReviewEvent =
  | { type: "ReviewCreated"; review: Review }
  | { type: "ReviewUpdated"; review: Review; changedFields: EditableField[] }
  | { type: "ReviewDeleted"; review: Review; actorId: string }
  | { type: "HostReplied"; review: Review }
  | { type: "ReviewReported"; review: Review; reporterId: string; reason: ReportReason; note: string }
  | { type: "ReviewModerated"; review: Review; action: ModerationAction; moderatorId: string; note: string }
  | { type: "RatingStatisticsChanged"; statistics: RatingStatistics };
