// The drizzle schema: the tables the config server owns. After changing it, run
// `pnpm db:generate` in this package and commit the new drizzle/NNNN_*.sql; never edit a
// committed one.
import { sql } from "drizzle-orm";
import { bigint, check, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/**
 * Every version of every service's configuration in every environment, never updated or
 * deleted: the latest row of a (service, environment) is its effective configuration. The
 * primary key makes two writers of the same next version collide instead of both winning.
 */
export const configVersions = pgTable(
  "config_versions",
  {
    service: text("service").notNull(),
    environment: text("environment").notNull(),
    version: bigint("version", { mode: "number" }).notNull(),
    /** The complete set of settings, key -> string value. */
    values: jsonb("values").$type<Record<string, string>>().notNull(),
    /** A user id or a service identity. */
    author: text("author").notNull(),
    comment: text("comment").notNull(),
    /** Set when a rollback wrote this version: the version whose values it restored. */
    restoredVersion: bigint("restored_version", { mode: "number" }),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.service, t.environment, t.version] }), check("config_versions_version_positive", sql`${t.version} > 0`)],
);
