-- Dearest first ranks only the room types whose ceiling can reach a threshold
-- (store/search-price-sql.ts), so its indexes are in ceiling order instead of by property.
DROP INDEX "room_types_region_rank_idx";--> statement-breakpoint
DROP INDEX "room_types_city_rank_idx";--> statement-breakpoint
DROP INDEX "room_types_rank_idx";--> statement-breakpoint
CREATE INDEX "room_types_region_ceiling_rank_idx" ON "room_types" ("place_region", "price_ceiling_minor")
  INCLUDE ("property_id", "max_adults", "max_children", "base_price_minor", "weekend_price_minor", "weekday_floor_minor", "weekend_floor_minor", "premium_nights") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_city_ceiling_rank_idx" ON "room_types" ("place_city", "price_ceiling_minor")
  INCLUDE ("property_id", "max_adults", "max_children", "base_price_minor", "weekend_price_minor", "weekday_floor_minor", "weekend_floor_minor", "premium_nights") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_ceiling_rank_idx" ON "room_types" ("price_ceiling_minor")
  INCLUDE ("property_id", "max_adults", "max_children", "base_price_minor", "weekend_price_minor", "weekday_floor_minor", "weekend_floor_minor", "premium_nights") WHERE "place_listed";
