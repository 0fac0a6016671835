// The drizzle schema: the tables the registry owns. After changing it, run `pnpm db:generate` in
// this package and commit the new drizzle/NNNN_*.sql; never edit a committed one.
import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/**
 * Every registered instance, healthy or not. A row lives from Register until Deregister, or
 * until the sweeper removes it a grace period after its lease lapsed. Every registry instance
 * on this database reads and writes the same rows, so a restart loses nothing.
 */
export const instances = pgTable(
  "instances",
  {
    serviceName: text("service_name").notNull(),
    instanceId: text("instance_id").notNull(),
    address: text("address").notNull(),
    version: text("version").notNull(),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull(),
    /** serving, not_serving or draining: what the instance last said of itself. */
    status: text("status").notNull(),
    registeredAt: ts("registered_at").notNull(),
    lastHeartbeatAt: ts("last_heartbeat_at").notNull(),
    leaseExpiresAt: ts("lease_expires_at").notNull(),
    leaseTtlMs: integer("lease_ttl_ms").notNull(),
    lapsed: boolean("lapsed").notNull().default(false),
    probeOk: boolean("probe_ok").notNull().default(true),
    probeFailures: smallint("probe_failures").notNull().default(0),
    /** When a registry should probe it next; claimed with SKIP LOCKED, so registries share the work. */
    nextProbeAt: ts("next_probe_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.serviceName, t.instanceId] }),
    check("instances_status_known", sql`${t.status} in ('serving', 'not_serving', 'draining')`),
    index("instances_lease_idx").on(t.leaseExpiresAt),
    index("instances_next_probe_idx").on(t.nextProbeAt),
  ],
);

/**
 * One row: the registry's revision, raised in the same transaction as every change to who is
 * healthy (never by a plain heartbeat). Watchers read it with the instances in one snapshot.
 */
export const registryRevision = pgTable(
  "registry_revision",
  {
    id: smallint("id").primaryKey().default(1),
    revision: bigint("revision", { mode: "number" }).notNull().default(0),
  },
  (t) => [check("registry_revision_one_row", sql`${t.id} = 1`)],
);
