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
CREATE TABLE "reservation_requests" (
	"guest_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"reservation_id" uuid NOT NULL,
	"request_digest" text NOT NULL,
	CONSTRAINT "reservation_requests_pkey" PRIMARY KEY("guest_id","request_id")
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"reservation_id" uuid PRIMARY KEY NOT NULL,
	"guest_id" uuid NOT NULL,
	"host_id" uuid,
	"property_id" uuid NOT NULL,
	"status" smallint NOT NULL,
	"check_in" date NOT NULL,
	"stay_ends_at" timestamp (3) with time zone,
	"create_time" timestamp (3) with time zone NOT NULL,
	"version" integer NOT NULL,
	"data" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saga_work" (
	"reservation_id" uuid PRIMARY KEY NOT NULL,
	"due_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp (3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "events_type_position_idx" ON "events" USING btree ("type","position");--> statement-breakpoint
CREATE INDEX "reservations_guest_idx" ON "reservations" USING btree ("guest_id","create_time","reservation_id");--> statement-breakpoint
CREATE INDEX "reservations_host_idx" ON "reservations" USING btree ("host_id","create_time","reservation_id");--> statement-breakpoint
CREATE INDEX "reservations_property_idx" ON "reservations" USING btree ("property_id","create_time","reservation_id");--> statement-breakpoint
CREATE INDEX "reservations_stay_end_idx" ON "reservations" USING btree ("stay_ends_at") WHERE status = 4;--> statement-breakpoint
CREATE INDEX "saga_work_due_idx" ON "saga_work" USING btree ("due_at");