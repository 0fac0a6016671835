// Instances in PostgreSQL. Every change to who is healthy raises the one revision row and sends
// NOTIFY in the same transaction, so the watchers of every registry instance on this database
// wake when (and only when) it commits. Plain heartbeats change neither.
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { type Instance, type InstanceStatus, judgeProbe, type ProbeResult, type Registration } from "../domain/instance.js";
import type { RegistryDb } from "./db.js";
import { instances, registryRevision } from "./schema.js";

/** The channel changes NOTIFY on (payload: the service name, or "" for several). */
export const REGISTRY_CHANNEL = "registry_changes";

/** The instances a watcher sees, with the revision they were read at. */
export interface Snapshot {
  revision: number;
  instances: Instance[];
}

/** An instance due a health probe: where to reach it. */
export interface ProbeTarget {
  serviceName: string;
  instanceId: string;
  address: string;
  metadata: Record<string, string>;
}

/** Reads and changes registered instances. */
export interface InstanceStore {
  /** Adds the instance or replaces what was known of it (a restart), with a fresh lease and probe state. */
  register(r: Registration, now: Date): Promise<Instance>;
  /** Renews the lease (and the status, when given); undefined when unknown or its lease lapsed. */
  heartbeat(serviceName: string, instanceId: string, status: InstanceStatus | undefined, now: Date): Promise<Instance | undefined>;
  /** Removes the instance; false when there was none. */
  deregister(serviceName: string, instanceId: string): Promise<boolean>;
  /** Every instance (of one service when given), by service name then instance id. */
  list(serviceName: string | undefined): Promise<Instance[]>;
  /** Every instance (of one service when given) and the revision, read together. */
  snapshot(serviceName: string | undefined): Promise<Snapshot>;
  /** Marks the leases lapsed by `now`; how many. */
  lapseExpired(now: Date): Promise<number>;
  /** Removes instances whose lease lapsed before `before`; how many. */
  removeLapsed(before: Date): Promise<number>;
  /** Up to `limit` instances due a probe at `now`, each pushed `intervalMs` ahead so no other registry probes it too. */
  claimProbes(now: Date, intervalMs: number, limit: number): Promise<ProbeTarget[]>;
  /** Folds a probe's result into the instance; true when that took it out of rotation or brought it back. */
  recordProbe(target: Pick<ProbeTarget, "serviceName" | "instanceId">, result: ProbeResult, failuresToEject: number): Promise<boolean>;
}

type Row = typeof instances.$inferSelect;
type Tx = Parameters<Parameters<RegistryDb["transaction"]>[0]>[0];

const toInstance = (r: Row): Instance => ({
  serviceName: r.serviceName,
  instanceId: r.instanceId,
  address: r.address,
  version: r.version,
  metadata: r.metadata,
  status: r.status as InstanceStatus,
  registeredAt: r.registeredAt,
  lastHeartbeatAt: r.lastHeartbeatAt,
  leaseExpiresAt: r.leaseExpiresAt,
  leaseTtlMs: r.leaseTtlMs,
  lapsed: r.lapsed,
  probeOk: r.probeOk,
  probeFailures: r.probeFailures,
});

const key = (serviceName: string, instanceId: string) => and(eq(instances.serviceName, serviceName), eq(instances.instanceId, instanceId));

// Raises the revision and tells every listening registry, both only if the transaction commits.
async function changed(tx: Tx, serviceName: string): Promise<void> {
  await tx.update(registryRevision).set({ revision: sql`${registryRevision.revision} + 1` }).where(eq(registryRevision.id, 1));
  await tx.execute(sql`select pg_notify(${REGISTRY_CHANNEL}, ${serviceName})`);
}

/** The store over the registry's database. */
export function createInstanceStore(db: RegistryDb): InstanceStore {
  const ofService = (serviceName: string | undefined) => (serviceName ? eq(instances.serviceName, serviceName) : undefined);
  const ordered = [asc(instances.serviceName), asc(instances.instanceId)];

  return {
    register(r, now) {
      return db.transaction(async (tx) => {
        const row = {
          ...r,
          registeredAt: now,
          lastHeartbeatAt: now,
          leaseExpiresAt: new Date(now.getTime() + r.leaseTtlMs),
          lapsed: false,
          probeOk: true,
          probeFailures: 0,
          nextProbeAt: now,
        };
        const [saved] = await tx
          .insert(instances)
          .values(row)
          .onConflictDoUpdate({ target: [instances.serviceName, instances.instanceId], set: row })
          .returning();
        await changed(tx, r.serviceName);
        return toInstance(saved!);
      });
    },

    heartbeat(serviceName, instanceId, status, now) {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(instances).where(key(serviceName, instanceId)).for("update");
        if (!row || row.lapsed || row.leaseExpiresAt.getTime() <= now.getTime()) return undefined;
        const [saved] = await tx
          .update(instances)
          .set({ lastHeartbeatAt: now, leaseExpiresAt: new Date(now.getTime() + row.leaseTtlMs), status: status ?? row.status })
          .where(key(serviceName, instanceId))
          .returning();
        if (status !== undefined && status !== row.status) await changed(tx, serviceName);
        return toInstance(saved!);
      });
    },

    deregister(serviceName, instanceId) {
      return db.transaction(async (tx) => {
        const gone = await tx.delete(instances).where(key(serviceName, instanceId)).returning({ id: instances.instanceId });
        if (gone.length > 0) await changed(tx, serviceName);
        return gone.length > 0;
      });
    },

    async list(serviceName) {
      const rows = await db.select().from(instances).where(ofService(serviceName)).orderBy(...ordered);
      return rows.map(toInstance);
    },

    snapshot(serviceName) {
      // One snapshot of both, so the revision names exactly these rows.
      return db.transaction(
        async (tx) => {
          const [top] = await tx.select({ revision: registryRevision.revision }).from(registryRevision);
          const rows = await tx.select().from(instances).where(ofService(serviceName)).orderBy(...ordered);
          return { revision: top?.revision ?? 0, instances: rows.map(toInstance) };
        },
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
    },

    lapseExpired(now) {
      return db.transaction(async (tx) => {
        const lapsed = await tx
          .update(instances)
          .set({ lapsed: true })
          .where(and(eq(instances.lapsed, false), lte(instances.leaseExpiresAt, now)))
          .returning({ serviceName: instances.serviceName });
        if (lapsed.length > 0) await changed(tx, lapsed.length === 1 ? lapsed[0]!.serviceName : "");
        return lapsed.length;
      });
    },

    removeLapsed(before) {
      return db.transaction(async (tx) => {
        const gone = await tx
          .delete(instances)
          .where(and(eq(instances.lapsed, true), lte(instances.leaseExpiresAt, before)))
          .returning({ serviceName: instances.serviceName });
        // Already out of every snapshot of healthy instances; ListInstances sees them go.
        if (gone.length > 0) await changed(tx, "");
        return gone.length;
      });
    },

    async claimProbes(now, intervalMs, limit) {
      const due = db
        .select({ serviceName: instances.serviceName, instanceId: instances.instanceId })
        .from(instances)
        .where(and(eq(instances.lapsed, false), lte(instances.nextProbeAt, now)))
        .orderBy(asc(instances.nextProbeAt))
        .limit(limit)
        .for("update", { skipLocked: true });
      const rows = await db
        .update(instances)
        .set({ nextProbeAt: new Date(now.getTime() + intervalMs) })
        .where(sql`(${instances.serviceName}, ${instances.instanceId}) in ${due}`)
        .returning({ serviceName: instances.serviceName, instanceId: instances.instanceId, address: instances.address, metadata: instances.metadata });
      return rows;
    },

    recordProbe(target, result, failuresToEject) {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(instances).where(key(target.serviceName, target.instanceId)).for("update");
        if (!row) return false;
        const judged = judgeProbe(row, result, failuresToEject);
        await tx
          .update(instances)
          .set({ probeOk: judged.probeOk, probeFailures: Math.min(judged.probeFailures, 10_000) })
          .where(key(target.serviceName, target.instanceId));
        if (judged.changed) await changed(tx, target.serviceName);
        return judged.changed;
      });
    },
  };
}
