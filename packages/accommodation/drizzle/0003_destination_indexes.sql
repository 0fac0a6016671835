-- Guest search (search-sql.ts): a destination naming a city or region we list is matched by
-- equality on these, so "Seoul" reads Seoul's rows instead of testing every row by trigram.
CREATE INDEX IF NOT EXISTS "properties_listed_city_idx" ON "properties" (lower("city")) WHERE "status" = 'listed';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "properties_listed_region_idx" ON "properties" (lower("region")) WHERE "status" = 'listed';
