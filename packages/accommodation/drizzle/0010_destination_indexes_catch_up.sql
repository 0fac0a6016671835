-- 0003_destination_indexes.sql was edited after it had been committed (5b9220b): a database
-- migrated with its first version has two equality indexes it no longer creates and lacks the
-- `quality` column and the seven indexes it creates now (drizzle never re-runs a migration it
-- has applied). This brings such a database to what a fresh one has, and changes nothing on a
-- fresh one. Adding the generated column computes `quality` for every existing row.
ALTER TABLE "properties" ADD COLUMN IF NOT EXISTS "quality" double precision GENERATED ALWAYS AS (
  ("rating_average" / 5.0) * (1 - 1 / (1 + ln(1 + "rating_count"::double precision))) + 0.02 * "star_rating"
) STORED;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_region_relevance_idx" ON "properties" (lower("region"), (-"quality"), "id") INCLUDE ("region") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_city_relevance_idx" ON "properties" (lower("city"), (-"quality"), "id") INCLUDE ("city") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_relevance_idx" ON "properties" ((-"quality"), "id") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_region_rating_idx" ON "properties" (lower("region"), (-"rating_average"), (-("rating_count"::double precision)), "id") INCLUDE ("region") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_city_rating_idx" ON "properties" (lower("city"), (-"rating_average"), (-("rating_count"::double precision)), "id") INCLUDE ("city") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_rating_idx" ON "properties" ((-"rating_average"), (-("rating_count"::double precision)), "id") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_location_idx" ON "properties" ("latitude") INCLUDE ("longitude", "id", "quality", "rating_average", "rating_count") WHERE "status" = 'listed';--> statement-breakpoint
-- The first version's equality indexes: the leading column of the *_relevance_idx and
-- *_rating_idx indexes above serves the same lookups.
DROP INDEX IF EXISTS "properties_listed_city_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "properties_listed_region_idx";
