CREATE TABLE "hold_tombstones" (
	"reservation_id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"released_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"reservation_id" uuid PRIMARY KEY NOT NULL,
	"hold_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"property_id" uuid NOT NULL,
	"room_type_id" uuid NOT NULL,
	"host_id" uuid NOT NULL,
	"check_in" date NOT NULL,
	"check_out" date NOT NULL,
	"units" integer NOT NULL,
	"adults" integer NOT NULL,
	"children" integer NOT NULL,
	"status" text NOT NULL,
	"price" jsonb NOT NULL,
	"cancellation_policy" text NOT NULL,
	"property_name" text NOT NULL,
	"room_type_name" text NOT NULL,
	"time_zone" text NOT NULL,
	"check_in_time" text NOT NULL,
	"check_out_time" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"confirmed_at" timestamp (3) with time zone,
	"released_at" timestamp (3) with time zone,
	"release_reason" text,
	CONSTRAINT "holds_hold_id_key" UNIQUE("hold_id"),
	CONSTRAINT "holds_status_known" CHECK ("holds"."status" in ('held', 'confirmed', 'released', 'expired')),
	CONSTRAINT "holds_units_range" CHECK ("holds"."units" between 1 and 10),
	CONSTRAINT "holds_dates_order" CHECK ("holds"."check_out" > "holds"."check_in")
);
--> statement-breakpoint
CREATE TABLE "inventory" (
	"room_type_id" uuid NOT NULL,
	"night" date NOT NULL,
	"units_total" integer NOT NULL,
	"units_held" integer DEFAULT 0 NOT NULL,
	"units_booked" integer DEFAULT 0 NOT NULL,
	"units_total_set" boolean DEFAULT false NOT NULL,
	"price_override_minor" bigint,
	"min_stay_nights" integer DEFAULT 0 NOT NULL,
	"closed_to_arrival" boolean DEFAULT false NOT NULL,
	"closed_to_departure" boolean DEFAULT false NOT NULL,
	CONSTRAINT "inventory_pkey" PRIMARY KEY("room_type_id","night"),
	CONSTRAINT "inventory_units_not_negative" CHECK ("inventory"."units_held" >= 0 and "inventory"."units_booked" >= 0 and "inventory"."units_total" >= 0),
	CONSTRAINT "inventory_units_within_total" CHECK ("inventory"."units_held" + "inventory"."units_booked" <= "inventory"."units_total"),
	CONSTRAINT "inventory_price_override_not_negative" CHECK ("inventory"."price_override_minor" is null or "inventory"."price_override_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "properties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"property_type" text NOT NULL,
	"address_line1" text NOT NULL,
	"address_line2" text DEFAULT '' NOT NULL,
	"city" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"postal_code" text DEFAULT '' NOT NULL,
	"country_code" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"amenities" text[] DEFAULT '{}'::text[] NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"house_rules" text[] DEFAULT '{}'::text[] NOT NULL,
	"check_in_time" text DEFAULT '' NOT NULL,
	"check_out_time" text DEFAULT '' NOT NULL,
	"time_zone" text NOT NULL,
	"currency" text NOT NULL,
	"cancellation_policy" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"star_rating" integer DEFAULT 0 NOT NULL,
	"rating_average" double precision DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp (3) with time zone,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', coalesce(description, '')), 'B')) STORED,
	CONSTRAINT "properties_status_known" CHECK ("properties"."status" in ('draft', 'listed', 'unlisted')),
	CONSTRAINT "properties_policy_known" CHECK ("properties"."cancellation_policy" in ('flexible', 'moderate', 'strict', 'non_refundable')),
	CONSTRAINT "properties_star_rating_range" CHECK ("properties"."star_rating" between 0 and 5),
	CONSTRAINT "properties_location_range" CHECK ("properties"."latitude" between -90 and 90 and "properties"."longitude" between -180 and 180),
	CONSTRAINT "properties_currency_code" CHECK ("properties"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "room_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"property_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"max_adults" integer NOT NULL,
	"max_children" integer DEFAULT 0 NOT NULL,
	"beds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"size_sqm" integer DEFAULT 0 NOT NULL,
	"amenities" text[] DEFAULT '{}'::text[] NOT NULL,
	"unit_count" integer NOT NULL,
	"base_price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "room_types_unit_count_range" CHECK ("room_types"."unit_count" between 0 and 1000),
	CONSTRAINT "room_types_base_price_positive" CHECK ("room_types"."base_price_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_room_type_id_room_types_id_fk" FOREIGN KEY ("room_type_id") REFERENCES "public"."room_types"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_types" ADD CONSTRAINT "room_types_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "holds_expiry_idx" ON "holds" USING btree ("expires_at") WHERE "holds"."status" = 'held';--> statement-breakpoint
CREATE INDEX "holds_room_type_live_idx" ON "holds" USING btree ("room_type_id","check_out") WHERE "holds"."status" in ('held', 'confirmed');--> statement-breakpoint
CREATE INDEX "holds_property_live_idx" ON "holds" USING btree ("property_id","check_out") WHERE "holds"."status" in ('held', 'confirmed');--> statement-breakpoint
CREATE INDEX "properties_owner_updated_idx" ON "properties" USING btree ("owner_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "properties_search_idx" ON "properties" USING gin ("search");--> statement-breakpoint
CREATE INDEX "properties_name_trgm_idx" ON "properties" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "properties_city_trgm_idx" ON "properties" USING gin (lower("city") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "room_types_property_idx" ON "room_types" USING btree ("property_id","created_at","id");