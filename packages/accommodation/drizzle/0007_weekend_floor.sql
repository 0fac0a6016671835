-- Floors by kind of night (store/search-price-bounds.ts): a weekday night costs no less than
-- weekday_floor_minor (the base price and the overrides on weekday nights) and a weekend night
-- no less than weekend_floor_minor (the weekend price, else the base, and the overrides on
-- weekend nights). A stay's bound is then its weekday nights times the one plus its weekend
-- nights times the other, which sees the weekend premium a single floor cannot; a stay of
-- weekend nights only walks the weekend floor (the indexes below). Weekend nights are ISO
-- weekdays 5 and 6, as WEEKEND_WEEKDAYS in domain/night-price.ts.
ALTER TABLE "room_types" ADD COLUMN "weekday_floor_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "room_types" ADD COLUMN "weekend_floor_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "room_types_copy_place"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT lower(p.region), lower(p.city), p.status = 'listed'
    INTO NEW.place_region, NEW.place_city, NEW.place_listed
    FROM properties p WHERE p.id = NEW.property_id;
  -- No night has an override yet.
  NEW.weekday_floor_minor := NEW.base_price_minor;
  NEW.weekend_floor_minor := coalesce(NEW.weekend_price_minor, NEW.base_price_minor);
  NEW.price_floor_minor := least(NEW.weekday_floor_minor, NEW.weekend_floor_minor);
  NEW.price_ceiling_minor := greatest(NEW.base_price_minor, NEW.weekend_price_minor);
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "refresh_room_type_price_bounds"(ids uuid[], today date) RETURNS void LANGUAGE sql AS $$
  UPDATE room_types rt
     SET weekday_floor_minor = b.weekday_floor, weekend_floor_minor = b.weekend_floor,
         price_floor_minor = least(b.weekday_floor, b.weekend_floor), price_ceiling_minor = b.ceiling
    FROM (SELECT r.id,
                 least(r.base_price_minor, min(i.price_override_minor) FILTER (WHERE extract(isodow from i.night) NOT IN (5, 6))) AS weekday_floor,
                 least(coalesce(r.weekend_price_minor, r.base_price_minor), min(i.price_override_minor) FILTER (WHERE extract(isodow from i.night) IN (5, 6))) AS weekend_floor,
                 greatest(r.base_price_minor, r.weekend_price_minor, max(i.price_override_minor)) AS ceiling
            FROM room_types r
            LEFT JOIN inventory i ON i.room_type_id = r.id AND i.night >= today - 2 AND i.price_override_minor IS NOT NULL
           WHERE ids IS NULL OR r.id = ANY (ids)
           GROUP BY r.id) b
   WHERE rt.id = b.id
     AND (rt.weekday_floor_minor, rt.weekend_floor_minor, rt.price_floor_minor, rt.price_ceiling_minor) IS DISTINCT FROM
         (b.weekday_floor, b.weekend_floor, least(b.weekday_floor, b.weekend_floor), b.ceiling)
$$;--> statement-breakpoint
SELECT "refresh_room_type_price_bounds"(NULL, current_date);--> statement-breakpoint
CREATE INDEX "room_types_region_weekend_floor_idx" ON "room_types" ("place_region", "weekend_floor_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_city_weekend_floor_idx" ON "room_types" ("place_city", "weekend_floor_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_weekend_floor_idx" ON "room_types" ("weekend_floor_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";
