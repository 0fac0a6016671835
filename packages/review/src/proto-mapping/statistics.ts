// Rating statistics as triphub.review.v1.RatingStatistics.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type AspectStatistics,
  type RatingStatistics as ProtoStatistics,
  RatingStatisticsSchema,
} from "@triphub/contracts/triphub/review/v1/review_pb";
import type { RatingStatistics } from "../domain/rating-statistics.js";
import { ASPECTS } from "../domain/review.js";

export function toProtoStatistics(s: RatingStatistics): ProtoStatistics {
  const aspects = Object.fromEntries(
    ASPECTS.map((a) => {
      const t = s.aspects[a];
      return [a, { average: t.count === 0 ? 0 : t.sum / t.count, count: t.count }];
    }),
  ) as Omit<AspectStatistics, "$typeName">;
  return create(RatingStatisticsSchema, {
    propertyId: s.propertyId,
    average: s.average,
    count: s.count,
    histogram: s.histogram.map((count, i) => ({ rating: i + 1, count })),
    aspects,
    // A property nobody has reviewed has no time its statistics changed.
    updateTime: s.version === 0 ? undefined : timestampFromDate(s.updateTime),
    rankingScore: s.rankingScore,
    version: BigInt(s.version),
  });
}
