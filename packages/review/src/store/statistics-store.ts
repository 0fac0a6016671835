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
 * Recomputes the statistics of `propertyIds` in `tx` and stores each at its next version. First
 * it locks the properties' statistics rows (in one order, so two transactions cannot deadlock):
 * writers of one property's reviews then take turns, and since each of their statements reads
 * the data committed before it, each recomputation counts every change committed before its
 * own. (Without the lock, two new reviews committed together could each be counted without the
 * other.) One round of statements for any number of properties: the seed recomputes hundreds.
 */
export async function recomputeStatistics(tx: EventTx, propertyIds: readonly string[], now: Date): Promise<RatingStatistics[]> {
  const ids = [...new Set(propertyIds)].sort();
  if (ids.length === 0) return [];
  const idArray = sql`${`{${ids.join(",")}}`}::uuid[]`;
  await tx.execute(sql`
    insert into rating_statistics (property_id, version, count, rating_sum, histogram, aspects, average, ranking_score, update_time)
    select id, 0, 0, 0, '{0,0,0,0,0}', '{}'::jsonb, 0, 0, ${now.toISOString()}::timestamptz from unnest(${idArray}) as id
    on conflict (property_id) do nothing`);
  const locked = await tx.execute<{ property_id: string; version: string }>(
    sql`select property_id, version::text as version from rating_statistics where property_id = any(${idArray}) order by property_id for update`,
  );
  const aspectSql = sql.join(
    ASPECTS.map(
      (a) =>
        sql`coalesce(sum(${sql.identifier(COLUMN[a])}), 0)::int as ${sql.identifier(`${a}_sum`)}, count(${sql.identifier(COLUMN[a])})::int as ${sql.identifier(`${a}_count`)}`,
    ),
    sql`, `,
  );
  const rows = await tx.execute<Record<string, number> & { property_id: string }>(sql`
    select property_id, count(*)::int as count, coalesce(sum(rating), 0)::int as sum,
           count(*) filter (where rating = 1)::int as r1, count(*) filter (where rating = 2)::int as r2,
           count(*) filter (where rating = 3)::int as r3, count(*) filter (where rating = 4)::int as r4,
           count(*) filter (where rating = 5)::int as r5, ${aspectSql}
    from reviews where property_id = any(${idArray}) and status = 'published' group by property_id`);
  const totals = new Map(rows.map((r) => [r.property_id, r]));
  const stats = locked.map(({ property_id: id, version }) => {
    const row = totals.get(id);
    if (!row) return { ...emptyStatistics(id), version: Number(version) + 1, updateTime: now };
    const aspects = Object.fromEntries(ASPECTS.map((a) => [a, { sum: row[`${a}_sum`], count: row[`${a}_count`] }])) as Record<Aspect, AspectTotals>;
    return statisticsOf(id, { count: row.count, ratingSum: row.sum, histogram: [row.r1, row.r2, row.r3, row.r4, row.r5], aspects }, Number(version) + 1, now);
  });
  const records = stats.map((s) => ({
    property_id: s.propertyId,
    version: s.version,
    count: s.count,
    rating_sum: s.ratingSum,
    histogram: s.histogram,
    aspects: s.aspects,
    average: s.average,
    ranking_score: s.rankingScore,
  }));
  await tx.execute(sql`
    update rating_statistics s set version = v.version, count = v.count, rating_sum = v.rating_sum, histogram = v.histogram,
      aspects = v.aspects, average = v.average, ranking_score = v.ranking_score, update_time = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(property_id uuid, version bigint, count int, rating_sum int,
      histogram int[], aspects jsonb, average float8, ranking_score float8)
    where s.property_id = v.property_id`);
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
