-- AIP-155 request ids of CreateProperty and CreateRoomType (store/request-ids.ts), kept a day.
CREATE TABLE "request_ids" (
	"caller_id" text NOT NULL,
	"method" text NOT NULL,
	"request_id" uuid NOT NULL,
	"fingerprint" text NOT NULL,
	"resource_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "request_ids_pkey" PRIMARY KEY("caller_id","method","request_id")
);
--> statement-breakpoint
CREATE INDEX "request_ids_expiry_idx" ON "request_ids" USING btree ("expires_at");
--> statement-breakpoint
-- The transactional outbox that StreamEvents publishes (store/outbox.ts, store/event-store.ts).
-- "position" is assigned by the writer as (transaction id << 16) + index: no sequence.
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
CREATE INDEX "events_type_position_idx" ON "events" USING btree ("type","position");
