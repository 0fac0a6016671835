// Rating statistics: recomputed from the published reviews inside the transaction that changed
// them, one property at a time, and read back for GetRatingStatistics.
import type { EventExecutor, EventTx } from "@triphub/platform/events";
import { eq, sql } from "drizzle-orm";
import { type AspectTotals, emptyStatistics, type RatingStatistics, statisticsOf } from "../domain/rating-statistics.js";
import { ASPECTS, type Aspect } from "../domain/review.js";
import { ratingStatistics } from "./schema.js";

const COLUMN: Record<Aspect, string> = {
  cleanliness: "cleanliness",
  accuracy: "accuracy",
  location: "location",
  value: "value",
  service: "service",
  checkIn: "check_in",
  comfort: "comfort",
  facilities: "facilities",
};

/**
 * Recomputes `propertyId`'s statistics in `tx` and stores them at the next version. First it
 * locks the property's statistics row: writers of one property's reviews then take turns, and
 * since each of its statements reads the data committed before it, each recomputation counts
 * every change committed before its own. (Without the lock, two new reviews committed together
 * could each be counted without the other.)
 */
export async function recomputeStatistics(tx: EventTx, propertyId: string, now: Date): Promise<RatingStatistics> {
  await tx.execute(sql`
    insert into rating_statistics (property_id, version, count, rating_sum, histogram, aspects, average, ranking_score, update_time)
    values (${propertyId}::uuid, 0, 0, 0, '{0,0,0,0,0}', '{}'::jsonb, 0, 0, ${now.toISOString()}::timestamptz)
    on conflict (property_id) do nothing`);
  const [locked] = await tx.execute<{ version: string }>(
    sql`select version::text as version from rating_statistics where property_id = ${propertyId}::uuid for update`,
  );
  const aspectSql = sql.join(
    ASPECTS.map(
      (a) =>
        sql`coalesce(sum(${sql.identifier(COLUMN[a])}), 0)::int as ${sql.identifier(`${a}_sum`)}, count(${sql.identifier(COLUMN[a])})::int as ${sql.identifier(`${a}_count`)}`,
    ),
    sql`, `,
  );
  const [row] = await tx.execute<Record<string, number>>(sql`
    select count(*)::int as count, coalesce(sum(rating), 0)::int as sum,
           count(*) filter (where rating = 1)::int as r1, count(*) filter (where rating = 2)::int as r2,
           count(*) filter (where rating = 3)::int as r3, count(*) filter (where rating = 4)::int as r4,
           count(*) filter (where rating = 5)::int as r5, ${aspectSql}
    from reviews where property_id = ${propertyId}::uuid and status = 'published'`);
  if (!row || !locked) throw new Error("statistics recomputation returned no row");
  const aspects = Object.fromEntries(ASPECTS.map((a) => [a, { sum: row[`${a}_sum`], count: row[`${a}_count`] }])) as Record<Aspect, AspectTotals>;
  const stats = statisticsOf(
    propertyId,
    { count: row.count, ratingSum: row.sum, histogram: [row.r1, row.r2, row.r3, row.r4, row.r5], aspects },
    Number(locked.version) + 1,
    now,
  );
  await tx
    .update(ratingStatistics)
    .set({
      version: stats.version,
      count: stats.count,
      ratingSum: stats.ratingSum,
      histogram: stats.histogram,
      aspects: stats.aspects,
      average: stats.average,
      rankingScore: stats.rankingScore,
      updateTime: now,
    })
    .where(eq(ratingStatistics.propertyId, propertyId));
  return stats;
}

/** The stored statistics of `propertyId`; zeros for a property nobody has reviewed. */
export async function readStatistics(db: EventExecutor, propertyId: string): Promise<RatingStatistics> {
  const [row] = await db.select().from(ratingStatistics).where(eq(ratingStatistics.propertyId, propertyId));
  if (!row) return emptyStatistics(propertyId);
  const empty = emptyStatistics(propertyId).aspects;
  return {
    propertyId,
    count: row.count,
    ratingSum: row.ratingSum,
    histogram: row.histogram,
    aspects: { ...empty, ...row.aspects },
    average: row.average,
    rankingScore: row.rankingScore,
    version: row.version,
    updateTime: row.updateTime,
  };
}
