import { fromBinary } from "@bufbuild/protobuf";
import type { Event } from "@triphub/contracts/triphub/common/v1/event_pb";
import { RatingStatisticsChangedSchema } from "@triphub/contracts/triphub/review/v1/events_pb";
import type { RatingUpdate } from "../store/rating-store.js";

/** The review event accommodation mirrors: a property's rating statistics changed. */
export const RATING_STATISTICS_CHANGED = RatingStatisticsChangedSchema.typeName;

/**
 * The figures a review RatingStatisticsChanged event carries, or undefined for any other event
 * or one without statistics. Throws on a payload that is not the message its type names.
 */
export function ratingUpdateFromEvent(e: Event): RatingUpdate | undefined {
  if (e.type !== RATING_STATISTICS_CHANGED || e.payload === undefined) return undefined;
  const s = fromBinary(RatingStatisticsChangedSchema, e.payload.value).statistics;
  if (s === undefined) return undefined;
  return { propertyId: s.propertyId, summary: { average: s.average, count: s.count, rankingScore: s.rankingScore }, version: s.version };
}
