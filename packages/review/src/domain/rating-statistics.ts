// A property's rating statistics and the score search ranks it by.
import { ASPECTS, type Aspect } from "./review.js";

/**
 * The prior of the Bayesian ranking score: every property starts as if it had PRIOR_WEIGHT
 * reviews of PRIOR_MEAN stars, so a few reviews move it a little and many move it to their
 * mean. With these, one 5-star review scores 3.64 and a hundred 4.8s score 4.68. The same
 * numbers are stated in review.proto (RatingStatistics.ranking_score).
 */
export const PRIOR_MEAN = 3.5;
export const PRIOR_WEIGHT = 10;

/** The Bayesian average of `count` ratings summing to `sum`; 0 without ratings. */
export function rankingScore(count: number, sum: number): number {
  return count === 0 ? 0 : (PRIOR_WEIGHT * PRIOR_MEAN + sum) / (PRIOR_WEIGHT + count);
}

/** Sums of one aspect over the reviews that rated it. */
export interface AspectTotals {
  sum: number;
  count: number;
}

/** Statistics over a property's published reviews. */
export interface RatingStatistics {
  propertyId: string;
  count: number;
  ratingSum: number;
  /** Reviews per overall rating 1..5 (index 0 is rating 1). */
  histogram: number[];
  aspects: Record<Aspect, AspectTotals>;
  average: number;
  rankingScore: number;
  version: number;
  updateTime: Date;
}

/** The totals a recomputation starts from (what the store aggregates). */
export interface RatingTotals {
  count: number;
  ratingSum: number;
  histogram: number[];
  aspects: Record<Aspect, AspectTotals>;
}

/** Statistics from totals. */
export function statisticsOf(propertyId: string, t: RatingTotals, version: number, updateTime: Date): RatingStatistics {
  return {
    propertyId,
    ...t,
    average: t.count === 0 ? 0 : t.ratingSum / t.count,
    rankingScore: rankingScore(t.count, t.ratingSum),
    version,
    updateTime,
  };
}

/** The statistics of a property nobody has reviewed. */
export function emptyStatistics(propertyId: string): RatingStatistics {
  const aspects = Object.fromEntries(ASPECTS.map((a) => [a, { sum: 0, count: 0 }])) as Record<Aspect, AspectTotals>;
  return statisticsOf(propertyId, { count: 0, ratingSum: 0, histogram: [0, 0, 0, 0, 0], aspects }, 0, new Date(0));
}
