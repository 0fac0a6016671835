// Leases on sagas with work left (the saga_work projection): which process drives which saga,
// and when a saga that is backing off is due again. Times are the database's: a lease is about
// processes, not about the booking's business time.
import { and, asc, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { ReservationDb } from "./db.js";
import { sagaWork } from "./schema.js";

export interface SagaWorkStore {
  /** Takes the lease on a saga for `ms` unless another process holds it; false when it does (or no work is left). */
  claim(reservationId: string, ms: number): Promise<boolean>;
  /** Extends a lease this process holds. */
  renew(reservationId: string, ms: number): Promise<void>;
  /** Gives the lease up; the saga is due again at once (another process may take it). */
  release(reservationId: string): Promise<void>;
  /** Gives the lease up until `ms` from now, counting the attempt. Returns the attempts so far. */
  backOff(reservationId: string, ms: number): Promise<number>;
  /** Sagas due now whose lease is free or lapsed (their process died), oldest first. */
  due(limit: number): Promise<string[]>;
  /** The backlog for metrics: sagas backing off, and how long the longest-waiting due one has waited. */
  backlog(): Promise<{ backingOff: number; oldestDueSeconds: number }>;
}

const free = () => or(isNull(sagaWork.leaseUntil), lt(sagaWork.leaseUntil, sql`now()`));
const inMs = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000})`;

export function createSagaWorkStore(db: ReservationDb): SagaWorkStore {
  return {
    async claim(reservationId, ms) {
      const rows = await db
        .update(sagaWork)
        .set({ leaseUntil: inMs(ms) })
        .where(and(eq(sagaWork.reservationId, reservationId), free()))
        .returning({ id: sagaWork.reservationId });
      return rows.length > 0;
    },
    async renew(reservationId, ms) {
      await db.update(sagaWork).set({ leaseUntil: inMs(ms) }).where(eq(sagaWork.reservationId, reservationId));
    },
    async release(reservationId) {
      await db.update(sagaWork).set({ leaseUntil: null }).where(eq(sagaWork.reservationId, reservationId));
    },
    async backOff(reservationId, ms) {
      const [row] = await db
        .update(sagaWork)
        .set({ leaseUntil: null, dueAt: inMs(ms), attempts: sql`${sagaWork.attempts} + 1` })
        .where(eq(sagaWork.reservationId, reservationId))
        .returning({ attempts: sagaWork.attempts });
      return row?.attempts ?? 0;
    },
    async due(limit) {
      const rows = await db
        .select({ id: sagaWork.reservationId })
        .from(sagaWork)
        .where(and(lte(sagaWork.dueAt, sql`now()`), free()))
        .orderBy(asc(sagaWork.dueAt))
        .limit(limit);
      return rows.map((r) => r.id);
    },
    async backlog() {
      const [row] = await db
        .select({
          backingOff: sql<number>`count(*) filter (where ${sagaWork.attempts} > 0)::int`,
          oldestDueSeconds: sql<number>`coalesce(extract(epoch from now() - min(${sagaWork.dueAt}) filter (where ${sagaWork.dueAt} <= now() and (${sagaWork.leaseUntil} is null or ${sagaWork.leaseUntil} < now()))), 0)::float8`,
        })
        .from(sagaWork);
      return { backingOff: row?.backingOff ?? 0, oldestDueSeconds: row?.oldestDueSeconds ?? 0 };
    },
  };
}
