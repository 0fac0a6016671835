import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { EventDb, EventLog, EventTx, OutboxEntry } from "./db.js";
import { eventMetadata } from "./event-metadata.js";
import { publishSpan } from "../tracing/event-spans.js";

/**
 * Bits of a position below the transaction id: the event's index within its transaction.
 * 16 bits allow 65,536 events per transaction and leave 47 bits for transaction ids: at
 * 10,000 writing transactions a second, 440 years.
 */
export const POSITION_SHIFT = 16n;

/** The shift as SQL text: `int8 << int4` takes a constant, not a bigint parameter. */
export const SHIFT_SQL = sql.raw(String(POSITION_SHIFT));

// Transactions that appended events, and the channel to NOTIFY once each has committed.
const appended = new WeakMap<EventTx, string>();

/** Marks `tx` as having appended to `log`, so {@link writeTransaction} notifies followers after commit. */
export function markAppended(tx: EventTx, log: EventLog): void {
  appended.set(tx, log.channel);
}

/**
 * Inserts one event at the next position of the current transaction. `version` null takes the
 * stream's next version (the caller holds the stream's lock); a number is the version the
 * caller expects to be free, and the unique (stream, version) constraint rejects it if not.
 *
 * Position: a bigserial would be strictly increasing in *allocation* order, but transactions
 * commit in another order, so a follower that has read up to 11 would never see a 10 whose
 * transaction commits later. Here an event's position is (writing transaction id << 16) +
 * index within the transaction, and readers deliver only events whose transaction id is below
 * the xmin of their snapshot, i.e. whose transaction and every older one has ended (see
 * event-store.ts). Any transaction still running, or yet to write, has an id >= that xmin, so
 * every event that becomes deliverable later has a higher position than everything delivered
 * before. (Filtering a bigserial by xid instead is not enough: a transaction can take its id
 * before another and its position after it.) Positions have gaps, which the contract allows.
 */
export async function insertEvent(
  tx: EventTx,
  log: EventLog,
  entry: OutboxEntry,
  version: number | null,
  metadata: string,
  occurTime?: Date,
): Promise<{ position: bigint; version: number }> {
  const table = sql.identifier(log.table);
  const nextVersion =
    version === null
      ? sql`coalesce((select max(stream_version) from ${table} where stream_type = ${entry.streamType} and stream_id = ${entry.streamId}), 0) + 1`
      : sql`${version}::int`;
  const [row] = await tx.execute<{ position: string; xid: string; version: number }>(sql`
    with me as (select pg_current_xact_id()::text::bigint as xid)
    insert into ${table} (position, event_id, stream_type, stream_id, stream_version, type, payload, metadata, occur_time)
    select coalesce(
             (select max(position) + 1 from ${table} where position >= me.xid << ${SHIFT_SQL} and position < (me.xid + 1) << ${SHIFT_SQL}),
             me.xid << ${SHIFT_SQL}),
           ${randomUUID()}::uuid, ${entry.streamType}, ${entry.streamId}, ${nextVersion},
           ${entry.type}, ${Buffer.from(entry.payload)}::bytea, ${metadata}::jsonb,
           coalesce(${occurTime?.toISOString() ?? null}::timestamptz, clock_timestamp())
    from me
    returning position::text as position, pg_current_xact_id()::text as xid, stream_version as version`);
  if (!row) throw new Error("event insert returned no row");
  // One transaction writing more than 2^16 events would run into the next id's range.
  if (BigInt(row.position) >> POSITION_SHIFT !== BigInt(row.xid)) throw new Error("too many events in one transaction");
  markAppended(tx, log);
  return { position: BigInt(row.position), version: row.version };
}

/**
 * Records `entries` in the transaction `tx` (a transactional outbox), after the change they
 * describe, each at its stream's next version.
 *
 * Stream version: taken under a transaction-scoped advisory lock on the stream, so concurrent
 * writers to one stream take turns instead of colliding on the unique version. Appending is
 * the last step of every write (call it once per transaction), so these locks are never held
 * while waiting on another kind. Event-sourced aggregates use `appendToStream` instead, which
 * states the version it expects.
 */
export async function appendToOutbox(tx: EventTx, log: EventLog, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await publishSpan(log.table, entries, async () => {
    const metadata = JSON.stringify(eventMetadata());
    // Every stream's lock up front, in one global order, so two transactions that append to the
    // same streams cannot deadlock on them.
    const keys = [...new Set(entries.map((e) => `${e.streamType}:${e.streamId}`))].sort();
    for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 11))`);
    for (const e of entries) await insertEvent(tx, log, e, null, metadata);
  });
}

/**
 * Runs `work` in a transaction like `db.transaction`, then, when it appended events, sends a
 * NOTIFY on the log's channel so followers read them now rather than at their next poll. The
 * NOTIFY is sent after the commit, not inside the transaction: a transaction that notifies
 * takes a database-wide lock while it commits, which would make every write commit one at a
 * time. If the NOTIFY is lost (a crash, a dropped connection), followers still find the events
 * by polling.
 */
export async function writeTransaction<T>(db: EventDb, work: (tx: EventTx) => Promise<T>): Promise<T> {
  let handle: EventTx | undefined;
  const result = await db.transaction((tx) => {
    handle = tx;
    return work(tx);
  });
  const channel = handle && appended.get(handle);
  if (channel) await db.execute(sql`select pg_notify(${channel}, '')`).catch(() => undefined);
  return result;
}
