import { and, eq, sql } from "drizzle-orm";
import { replayOf, requestIdExpiry } from "../domain/request-id.js";
import type { RequestKey } from "../domain/request-id.js";
import { timestamptz } from "@triphub/platform/store-helpers";
import type { AccommodationTx, Executor } from "./db.js";
import { requestIds } from "./schema.js";

/**
 * Claims `key` for a create that will make `resourceId`, inside the create's transaction.
 * Returns undefined when the claim is new (go on and create), or the id of the resource a
 * previous request with the same key created (return that instead); a different request under
 * the same key is "invalid" (see `replayOf`).
 *
 * Concurrent duplicates: the second INSERT waits on the first's uncommitted key row (unique
 * index), then finds it committed and takes the replay path; if the first rolled back, the
 * second claims the key itself. Either way exactly one resource is created. An expired key is
 * claimed afresh, as if it had been purged.
 */
export async function claimRequestId(tx: AccommodationTx, key: RequestKey, resourceId: string, now: Date): Promise<string | undefined> {
  const claimed = await tx
    .insert(requestIds)
    .values({
      callerId: key.callerId,
      method: key.method,
      requestId: key.requestId,
      fingerprint: key.fingerprint,
      resourceId,
      createdAt: now,
      expiresAt: requestIdExpiry(now),
    })
    .onConflictDoUpdate({
      target: [requestIds.callerId, requestIds.method, requestIds.requestId],
      set: {
        fingerprint: sql`excluded.fingerprint`,
        resourceId: sql`excluded.resource_id`,
        createdAt: sql`excluded.created_at`,
        expiresAt: sql`excluded.expires_at`,
      },
      setWhere: sql`${requestIds.expiresAt} <= excluded.created_at`,
    })
    .returning({ resourceId: requestIds.resourceId });
  if (claimed.length > 0) return undefined;
  // READ COMMITTED: this new statement sees the row the conflicting transaction committed.
  const [recorded] = await tx
    .select({ fingerprint: requestIds.fingerprint, resourceId: requestIds.resourceId })
    .from(requestIds)
    .where(and(eq(requestIds.callerId, key.callerId), eq(requestIds.method, key.method), eq(requestIds.requestId, key.requestId)));
  if (!recorded) throw new Error(`request id ${key.requestId} neither claimed nor recorded`);
  return replayOf(recorded, key);
}

/** Forgets up to `limit` request ids that expired by `now`; returns how many. */
export async function purgeRequestIds(db: Executor, now: Date, limit = 1000): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    with gone as (
      delete from ${requestIds} where ctid in (
        select ctid from ${requestIds} where expires_at <= ${timestamptz(now)} limit ${limit}
      ) returning 1
    )
    select count(*)::int as n from gone`);
  return rows[0]?.n ?? 0;
}
