CREATE TABLE "data_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"kek_id" text NOT NULL,
	"wrapped_key" "bytea" NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"retired_at" timestamp (3) with time zone
);
