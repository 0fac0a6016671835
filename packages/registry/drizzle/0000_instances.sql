CREATE TABLE "instances" (
	"service_name" text NOT NULL,
	"instance_id" text NOT NULL,
	"address" text NOT NULL,
	"version" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"status" text NOT NULL,
	"registered_at" timestamp (3) with time zone NOT NULL,
	"last_heartbeat_at" timestamp (3) with time zone NOT NULL,
	"lease_expires_at" timestamp (3) with time zone NOT NULL,
	"lease_ttl_ms" integer NOT NULL,
	"lapsed" boolean DEFAULT false NOT NULL,
	"probe_ok" boolean DEFAULT true NOT NULL,
	"probe_failures" smallint DEFAULT 0 NOT NULL,
	"next_probe_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "instances_service_name_instance_id_pk" PRIMARY KEY("service_name","instance_id"),
	CONSTRAINT "instances_status_known" CHECK ("instances"."status" in ('serving', 'not_serving', 'draining'))
);
--> statement-breakpoint
CREATE TABLE "registry_revision" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "registry_revision_one_row" CHECK ("registry_revision"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX "instances_lease_idx" ON "instances" USING btree ("lease_expires_at");--> statement-breakpoint
CREATE INDEX "instances_next_probe_idx" ON "instances" USING btree ("next_probe_at");--> statement-breakpoint
INSERT INTO "registry_revision" ("id", "revision") VALUES (1, 0);
