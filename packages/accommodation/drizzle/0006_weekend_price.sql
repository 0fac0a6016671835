-- A room type's optional price for Friday and Saturday nights without a calendar override
-- (domain/night-price.ts; the search SQL prices nights the same way: store/night-price-sql.ts).
ALTER TABLE "room_types" ADD COLUMN "weekend_price_minor" bigint;--> statement-breakpoint
ALTER TABLE "room_types" ADD CONSTRAINT "room_types_weekend_price_positive" CHECK ("room_types"."weekend_price_minor" is null or "room_types"."weekend_price_minor" > 0);--> statement-breakpoint
-- The price bounds (0005) now span the weekend price too: a stay of weekend nights can cost
-- it, whether it is above the base price or below. least() and greatest() skip its NULL.
CREATE OR REPLACE FUNCTION "room_types_copy_place"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT lower(p.region), lower(p.city), p.status = 'listed'
    INTO NEW.place_region, NEW.place_city, NEW.place_listed
    FROM properties p WHERE p.id = NEW.property_id;
  -- No night has an override yet.
  NEW.price_floor_minor := least(NEW.base_price_minor, NEW.weekend_price_minor);
  NEW.price_ceiling_minor := greatest(NEW.base_price_minor, NEW.weekend_price_minor);
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "refresh_room_type_price_bounds"(ids uuid[], today date) RETURNS void LANGUAGE sql AS $$
  UPDATE room_types rt
     SET price_floor_minor = least(rt.base_price_minor, rt.weekend_price_minor, b.lowest),
         price_ceiling_minor = greatest(rt.base_price_minor, rt.weekend_price_minor, b.highest)
    FROM (SELECT r.id, min(i.price_override_minor) AS lowest, max(i.price_override_minor) AS highest
            FROM room_types r
            LEFT JOIN inventory i ON i.room_type_id = r.id AND i.night >= today - 2 AND i.price_override_minor IS NOT NULL
           WHERE ids IS NULL OR r.id = ANY (ids)
           GROUP BY r.id) b
   WHERE rt.id = b.id
     AND (rt.price_floor_minor, rt.price_ceiling_minor) IS DISTINCT FROM
         (least(rt.base_price_minor, rt.weekend_price_minor, b.lowest), greatest(rt.base_price_minor, rt.weekend_price_minor, b.highest))
$$;--> statement-breakpoint
SELECT "refresh_room_type_price_bounds"(NULL, current_date);
