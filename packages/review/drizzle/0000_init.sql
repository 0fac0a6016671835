CREATE TABLE "events" (
	"position" bigint PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"stream_type" text NOT NULL,
	"stream_id" text NOT NULL,
	"stream_version" integer NOT NULL,
	"type" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occur_time" timestamp (3) with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "events_event_id_key" UNIQUE("event_id"),
	CONSTRAINT "events_stream_version_key" UNIQUE("stream_type","stream_id","stream_version"),
	CONSTRAINT "events_stream_version_positive" CHECK ("events"."stream_version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "helpful_votes" (
	"review_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"create_time" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "helpful_votes_review_id_user_id_pk" PRIMARY KEY("review_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "moderation_decisions" (
	"decision_id" uuid PRIMARY KEY NOT NULL,
	"review_id" uuid NOT NULL,
	"moderator_id" uuid NOT NULL,
	"action" text NOT NULL,
	"note" text NOT NULL,
	"create_time" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rating_statistics" (
	"property_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"count" integer NOT NULL,
	"rating_sum" integer NOT NULL,
	"histogram" integer[] NOT NULL,
	"aspects" jsonb NOT NULL,
	"average" double precision NOT NULL,
	"ranking_score" double precision NOT NULL,
	"update_time" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_reports" (
	"review_id" uuid NOT NULL,
	"reporter_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"note" text NOT NULL,
	"create_time" timestamp (3) with time zone NOT NULL,
	"update_time" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "review_reports_review_id_reporter_id_pk" PRIMARY KEY("review_id","reporter_id")
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"review_id" uuid PRIMARY KEY NOT NULL,
	"reservation_id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"host_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"author_display_name" text NOT NULL,
	"author_country" text NOT NULL,
	"rating" smallint NOT NULL,
	"cleanliness" smallint,
	"accuracy" smallint,
	"location" smallint,
	"value" smallint,
	"service" smallint,
	"check_in" smallint,
	"comfort" smallint,
	"facilities" smallint,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"language" text NOT NULL,
	"photo_urls" text[] NOT NULL,
	"stay_month" text NOT NULL,
	"room_type_name" text NOT NULL,
	"reply_body" text,
	"reply_author_id" uuid,
	"reply_create_time" timestamp (3) with time zone,
	"reply_update_time" timestamp (3) with time zone,
	"status" text NOT NULL,
	"helpful_count" integer DEFAULT 0 NOT NULL,
	"version" integer NOT NULL,
	"create_time" timestamp (3) with time zone NOT NULL,
	"update_time" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "reviews_reservation_id_key" UNIQUE("reservation_id"),
	CONSTRAINT "reviews_rating_range" CHECK ("reviews"."rating" between 1 and 5),
	CONSTRAINT "reviews_status" CHECK ("reviews"."status" in ('published', 'hidden', 'deleted'))
);
--> statement-breakpoint
CREATE INDEX "events_type_position_idx" ON "events" USING btree ("type","position");--> statement-breakpoint
CREATE INDEX "moderation_decisions_review_idx" ON "moderation_decisions" USING btree ("review_id","create_time");--> statement-breakpoint
CREATE INDEX "reviews_property_newest_idx" ON "reviews" USING btree ("property_id","create_time","review_id") WHERE "reviews"."status" = 'published';--> statement-breakpoint
CREATE INDEX "reviews_property_rating_idx" ON "reviews" USING btree ("property_id","rating","create_time","review_id") WHERE "reviews"."status" = 'published';--> statement-breakpoint
CREATE INDEX "reviews_property_helpful_idx" ON "reviews" USING btree ("property_id","helpful_count","create_time","review_id") WHERE "reviews"."status" = 'published';