-- Price sorts without pricing every property at the place (store/search-price-walk.ts).
-- A room type carries bounds on what it can charge a night: no stay in it costs less than
-- nights x price_floor_minor or more than nights x price_ceiling_minor. A search sorted by price
-- walks the place's room types in bound order (the indexes below), prices only the properties
-- it meets, and stops once no property further on could beat the page. Room types are walked,
-- not properties, so that a room too small for the party never lowers the bound.
ALTER TABLE "room_types" ADD COLUMN "place_region" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "room_types" ADD COLUMN "place_city" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "room_types" ADD COLUMN "place_listed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "room_types" ADD COLUMN "price_floor_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "room_types" ADD COLUMN "price_ceiling_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The place columns copy the property's, lower-cased as destinations are matched
-- (search-filters-sql.ts), on insert and whenever the property's place or status changes.
-- Triggers rather than code, so no write path (the seed's bulk load included) can forget them.
CREATE FUNCTION "room_types_copy_place"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT lower(p.region), lower(p.city), p.status = 'listed'
    INTO NEW.place_region, NEW.place_city, NEW.place_listed
    FROM properties p WHERE p.id = NEW.property_id;
  -- No night can differ from the base price yet.
  NEW.price_floor_minor := NEW.base_price_minor;
  NEW.price_ceiling_minor := NEW.base_price_minor;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "room_types_copy_place" BEFORE INSERT ON "room_types" FOR EACH ROW EXECUTE FUNCTION "room_types_copy_place"();--> statement-breakpoint
CREATE FUNCTION "properties_place_to_room_types"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE room_types SET place_region = lower(NEW.region), place_city = lower(NEW.city), place_listed = NEW.status = 'listed'
    WHERE property_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "properties_place_to_room_types" AFTER UPDATE OF "region", "city", "status" ON "properties"
  FOR EACH ROW WHEN (OLD.region IS DISTINCT FROM NEW.region OR OLD.city IS DISTINCT FROM NEW.city OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION "properties_place_to_room_types"();--> statement-breakpoint
-- The price bounds of room types `ids` (NULL: all of them), from the base price and every
-- override on a night a search may still ask for. `today` is the caller's date in any time zone:
-- a night more than two days before it is past everywhere. Called in the transaction of each
-- write that can change them (a calendar update that sets prices, a base price edit, the
-- seed's bulk load); not an inventory trigger, which would run on every hold.
CREATE FUNCTION "refresh_room_type_price_bounds"(ids uuid[], today date) RETURNS void LANGUAGE sql AS $$
  UPDATE room_types rt
     SET price_floor_minor = least(rt.base_price_minor, b.lowest), price_ceiling_minor = greatest(rt.base_price_minor, b.highest)
    FROM (SELECT r.id, min(i.price_override_minor) AS lowest, max(i.price_override_minor) AS highest
            FROM room_types r
            LEFT JOIN inventory i ON i.room_type_id = r.id AND i.night >= today - 2 AND i.price_override_minor IS NOT NULL
           WHERE ids IS NULL OR r.id = ANY (ids)
           GROUP BY r.id) b
   WHERE rt.id = b.id
     AND (rt.price_floor_minor, rt.price_ceiling_minor) IS DISTINCT FROM (least(rt.base_price_minor, b.lowest), greatest(rt.base_price_minor, b.highest))
$$;--> statement-breakpoint
UPDATE "room_types" rt SET "place_region" = lower(p.region), "place_city" = lower(p.city), "place_listed" = p.status = 'listed'
  FROM "properties" p WHERE p.id = rt.property_id;--> statement-breakpoint
SELECT "refresh_room_type_price_bounds"(NULL, current_date);--> statement-breakpoint
-- Ascending walks read these forwards and descending ones backwards. The included columns
-- let the walk skip room types too small for the party without reading the table.
CREATE INDEX "room_types_region_floor_idx" ON "room_types" ("place_region", "price_floor_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_city_floor_idx" ON "room_types" ("place_city", "price_floor_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_floor_idx" ON "room_types" ("price_floor_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_region_ceiling_idx" ON "room_types" ("place_region", "price_ceiling_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_city_ceiling_idx" ON "room_types" ("place_city", "price_ceiling_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";--> statement-breakpoint
CREATE INDEX "room_types_ceiling_idx" ON "room_types" ("price_ceiling_minor", "id") INCLUDE ("property_id", "max_adults", "max_children") WHERE "place_listed";
