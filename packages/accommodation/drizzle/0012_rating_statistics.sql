CREATE TABLE "event_cursors" (
	"consumer" text PRIMARY KEY NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_cursors_position_not_negative" CHECK ("event_cursors"."position" >= 0)
);
--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN "rating_score" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN "rating_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Sorting by rating now orders by the review service's ranking score, then by review count
-- (store/search/property-sort-sql.ts): the rating indexes follow, and the circle index
-- carries the score so that ranking a circle stays index-only.
DROP INDEX IF EXISTS "properties_region_rating_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "properties_city_rating_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "properties_rating_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "properties_location_idx";--> statement-breakpoint
CREATE INDEX "properties_region_rating_idx" ON "properties" (lower("region"), (-"rating_score"), (-("rating_count"::double precision)), "id") INCLUDE ("region") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX "properties_city_rating_idx" ON "properties" (lower("city"), (-"rating_score"), (-("rating_count"::double precision)), "id") INCLUDE ("city") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX "properties_rating_idx" ON "properties" ((-"rating_score"), (-("rating_count"::double precision)), "id") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX "properties_location_idx" ON "properties" ("latitude") INCLUDE ("longitude", "id", "quality", "rating_average", "rating_count", "rating_score") WHERE "status" = 'listed';
