-- Dearest first without a ceiling that counts the peak season on every stay
-- (store/search-price-bounds.ts). premium_nights holds the nights whose override prices a unit
-- above the room type's own rate for that kind of night (base, or the weekend price on ISO
-- weekdays 5 and 6, as WEEKEND_WEEKDAYS in domain/night-price.ts). A stay touching none of
-- them costs no more than its weekday nights at the base price plus its weekend nights at the
-- weekend price; only a stay that touches one needs the ceiling.
ALTER TABLE "room_types" ADD COLUMN "premium_nights" datemultirange DEFAULT '{}'::datemultirange NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "refresh_room_type_price_bounds"(ids uuid[], today date) RETURNS void LANGUAGE sql AS $$
  UPDATE room_types rt
     SET weekday_floor_minor = b.weekday_floor, weekend_floor_minor = b.weekend_floor,
         price_floor_minor = least(b.weekday_floor, b.weekend_floor), price_ceiling_minor = b.ceiling,
         premium_nights = b.premium
    FROM (SELECT r.id,
                 least(r.base_price_minor, min(i.price_override_minor) FILTER (WHERE extract(isodow from i.night) NOT IN (5, 6))) AS weekday_floor,
                 least(coalesce(r.weekend_price_minor, r.base_price_minor), min(i.price_override_minor) FILTER (WHERE extract(isodow from i.night) IN (5, 6))) AS weekend_floor,
                 greatest(r.base_price_minor, r.weekend_price_minor, max(i.price_override_minor)) AS ceiling,
                 coalesce(range_agg(daterange(i.night, i.night + 1)) FILTER (WHERE i.price_override_minor >
                   CASE WHEN extract(isodow from i.night) IN (5, 6) THEN coalesce(r.weekend_price_minor, r.base_price_minor) ELSE r.base_price_minor END),
                   '{}'::datemultirange) AS premium
            FROM room_types r
            LEFT JOIN inventory i ON i.room_type_id = r.id AND i.night >= today - 2 AND i.price_override_minor IS NOT NULL
           WHERE ids IS NULL OR r.id = ANY (ids)
           GROUP BY r.id) b
   WHERE rt.id = b.id
     AND (rt.weekday_floor_minor, rt.weekend_floor_minor, rt.price_floor_minor, rt.price_ceiling_minor, rt.premium_nights) IS DISTINCT FROM
         (b.weekday_floor, b.weekend_floor, least(b.weekday_floor, b.weekend_floor), b.ceiling, b.premium)
$$;--> statement-breakpoint
SELECT "refresh_room_type_price_bounds"(NULL, current_date);--> statement-breakpoint
-- Dearest first ranks a place's fitting room types by what the stay can cost in them, read
-- from these (index-only, grouped by property) instead of walking the ceilings.
CREATE INDEX "room_types_region_rank_idx" ON "room_types" ("place_region", "property_id")
  INCLUDE ("max_adults", "max_children", "base_price_minor", "weekend_price_minor", "price_ceiling_minor", "weekday_floor_minor", "weekend_floor_minor", "premium_nights") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_city_rank_idx" ON "room_types" ("place_city", "property_id")
  INCLUDE ("max_adults", "max_children", "base_price_minor", "weekend_price_minor", "price_ceiling_minor", "weekday_floor_minor", "weekend_floor_minor", "premium_nights") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_rank_idx" ON "room_types" ("property_id")
  INCLUDE ("max_adults", "max_children", "base_price_minor", "weekend_price_minor", "price_ceiling_minor", "weekday_floor_minor", "weekend_floor_minor", "premium_nights") WHERE "place_listed";--> statement-breakpoint
DROP INDEX "room_types_region_ceiling_idx";--> statement-breakpoint
DROP INDEX "room_types_city_ceiling_idx";--> statement-breakpoint
DROP INDEX "room_types_ceiling_idx";
