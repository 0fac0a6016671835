CREATE TABLE "config_versions" (
	"service" text NOT NULL,
	"environment" text NOT NULL,
	"version" bigint NOT NULL,
	"values" jsonb NOT NULL,
	"author" text NOT NULL,
	"comment" text NOT NULL,
	"restored_version" bigint,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "config_versions_service_environment_version_pk" PRIMARY KEY("service","environment","version"),
	CONSTRAINT "config_versions_version_positive" CHECK ("config_versions"."version" > 0)
);
