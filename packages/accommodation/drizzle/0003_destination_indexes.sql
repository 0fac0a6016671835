-- Guest search (search-sql.ts). Sorts that depend on the property alone walk one of these in
-- order and stop once a page of properties with an offer is found, so "Seoul by rating" reads
-- about a page of index entries instead of sorting Seoul's 20,000 properties. A destination
-- naming a listed region or city is matched by equality on the leading column; the plain
-- column is included so that counting a destination is an index-only scan (the planner does
-- not use an expression index alone for that).
-- `quality` is the property's own part of relevance: rating weighted by how many reviews back it, and stars.
ALTER TABLE "properties" ADD COLUMN "quality" double precision GENERATED ALWAYS AS (
  ("rating_average" / 5.0) * (1 - 1 / (1 + ln(1 + "rating_count"::double precision))) + 0.02 * "star_rating"
) STORED;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_region_relevance_idx" ON "properties" (lower("region"), (-"quality"), "id") INCLUDE ("region") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_city_relevance_idx" ON "properties" (lower("city"), (-"quality"), "id") INCLUDE ("city") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_relevance_idx" ON "properties" ((-"quality"), "id") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_region_rating_idx" ON "properties" (lower("region"), (-"rating_average"), (-("rating_count"::double precision)), "id") INCLUDE ("region") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_city_rating_idx" ON "properties" (lower("city"), (-"rating_average"), (-("rating_count"::double precision)), "id") INCLUDE ("city") WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_rating_idx" ON "properties" ((-"rating_average"), (-("rating_count"::double precision)), "id") WHERE "status" = 'listed';
--> statement-breakpoint
-- Circle searches: a latitude band, then the longitude, distance and sort keys from the same
-- index (index-only), so a 5 km circle in Seoul never reads the table to rank its candidates.
CREATE INDEX IF NOT EXISTS "properties_location_idx" ON "properties" ("latitude") INCLUDE ("longitude", "id", "quality", "rating_average", "rating_count") WHERE "status" = 'listed';
