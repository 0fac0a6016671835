CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"type" text NOT NULL,
	"outcome" text NOT NULL,
	"actor_user_id" uuid,
	"actor_service" text,
	"subject_user_id" uuid,
	"api_key_prefix" text,
	"client_ip" text,
	"user_agent" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_events_outcome_known" CHECK ("audit_events"."outcome" IN ('SUCCESS','FAILURE')),
	CONSTRAINT "audit_events_user_agent_bounded" CHECK (length("audit_events"."user_agent") <= 256),
	CONSTRAINT "audit_events_details_bounded" CHECK (octet_length("audit_events"."details"::text) <= 4096)
);
--> statement-breakpoint
CREATE INDEX "audit_events_occurred_at_id_idx" ON "audit_events" USING btree ("occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_type_occurred_at_idx" ON "audit_events" USING btree ("type","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_occurred_at_idx" ON "audit_events" USING btree ("actor_user_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_subject_occurred_at_idx" ON "audit_events" USING btree ("subject_user_id","occurred_at","id");--> statement-breakpoint
-- The trail is append-only, enforced here rather than trusted to the code: a row once written
-- is never changed or removed by any connection of the service (TRUNCATE has no row trigger,
-- so it gets a statement trigger of its own).
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
