-- Guest search (search-store.ts). "Within N km" filters with earth_box(...) @> ll_to_earth(lat,
-- lng), which this GiST index serves; region names join city names in the destination match.
CREATE INDEX IF NOT EXISTS "properties_earth_idx" ON "properties" USING gist (ll_to_earth("latitude", "longitude"));--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_region_trgm_idx" ON "properties" USING gin (lower("region") gin_trgm_ops);
