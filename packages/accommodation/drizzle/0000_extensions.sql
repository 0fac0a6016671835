-- pg_trgm: fuzzy matching of names and destinations; cube + earthdistance: "within N km"
-- search. All ship with PostgreSQL's contrib (embedded-postgres and postgresql-contrib).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS cube;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS earthdistance;
