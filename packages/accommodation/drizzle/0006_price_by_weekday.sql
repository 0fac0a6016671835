-- Price bounds per ISO weekday (element 1 = Monday), beside the overall ones of 0005. The walk
-- of a price sort still follows the overall bound (one index), but before pricing a property it
-- meets it adds up these for the stay's own nights: a Friday-and-Saturday stay then sees the
-- weekend prices, and a property that cannot make the page is passed over without reading its
-- calendar (store/search-price-walk.ts).
ALTER TABLE "room_types" ADD COLUMN "price_floor_by_weekday" bigint[] DEFAULT '{}'::bigint[] NOT NULL;--> statement-breakpoint
ALTER TABLE "room_types" ADD COLUMN "price_ceiling_by_weekday" bigint[] DEFAULT '{}'::bigint[] NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "room_types_copy_place"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT lower(p.region), lower(p.city), p.status = 'listed'
    INTO NEW.place_region, NEW.place_city, NEW.place_listed
    FROM properties p WHERE p.id = NEW.property_id;
  -- No night can differ from the base price yet.
  NEW.price_floor_minor := NEW.base_price_minor;
  NEW.price_ceiling_minor := NEW.base_price_minor;
  NEW.price_floor_by_weekday := array_fill(NEW.base_price_minor, ARRAY[7]);
  NEW.price_ceiling_by_weekday := array_fill(NEW.base_price_minor, ARRAY[7]);
  RETURN NEW;
END $$;--> statement-breakpoint
-- As in 0005, now per weekday too; the overall bounds are the extremes of the weekday ones.
CREATE OR REPLACE FUNCTION "refresh_room_type_price_bounds"(ids uuid[], today date) RETURNS void LANGUAGE sql AS $$
  WITH o AS (
    SELECT i.room_type_id, extract(isodow FROM i.night)::int AS dow,
           min(i.price_override_minor) AS lowest, max(i.price_override_minor) AS highest
      FROM inventory i
     WHERE i.night >= today - 2 AND i.price_override_minor IS NOT NULL AND (ids IS NULL OR i.room_type_id = ANY (ids))
     GROUP BY 1, 2
  ), b AS (
    SELECT r.id,
           array_agg(least(r.base_price_minor, o.lowest) ORDER BY d.dow) AS floors,
           array_agg(greatest(r.base_price_minor, o.highest) ORDER BY d.dow) AS ceilings
      FROM room_types r
     CROSS JOIN generate_series(1, 7) AS d(dow)
      LEFT JOIN o ON o.room_type_id = r.id AND o.dow = d.dow
     WHERE ids IS NULL OR r.id = ANY (ids)
     GROUP BY r.id
  )
  UPDATE room_types rt
     SET price_floor_by_weekday = b.floors, price_ceiling_by_weekday = b.ceilings,
         price_floor_minor = (SELECT min(x) FROM unnest(b.floors) AS x),
         price_ceiling_minor = (SELECT max(x) FROM unnest(b.ceilings) AS x)
    FROM b
   WHERE rt.id = b.id AND (rt.price_floor_by_weekday, rt.price_ceiling_by_weekday) IS DISTINCT FROM (b.floors, b.ceilings)
$$;--> statement-breakpoint
SELECT "refresh_room_type_price_bounds"(NULL, current_date);
