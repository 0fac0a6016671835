import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { AccommodationEvent } from "../domain/events.js";
import { streamOf } from "../domain/events.js";
import { eventMetadata } from "./event-metadata.js";
import { encodeEvent } from "../proto-mapping/events.js";
import type { AccommodationDb, AccommodationTx } from "./db.js";

/** The NOTIFY channel that tells StreamEvents followers new events may have committed. */
export const EVENTS_CHANNEL = "accommodation_events";

/**
 * Bits of a position below the transaction id: the event's index within its transaction.
 * 16 bits allow 65,536 events per transaction (the busiest writer, the hold sweeper, writes
 * one per expired hold in batches of 100) and leave 47 bits for transaction ids: at 10,000
 * writing transactions a second, 440 years.
 */
export const POSITION_SHIFT = 16n;

/** The shift as SQL text: `int8 << int4` takes a constant, not a bigint parameter. */
export const SHIFT_SQL = sql.raw(String(POSITION_SHIFT));

// Transactions that appended events, so their commit is followed by a NOTIFY.
const appended = new WeakSet<AccommodationTx>();

/**
 * Records `events` in the transaction `tx`, after the change they describe.
 *
 * Position: a bigserial would be strictly increasing in *allocation* order, but transactions
 * commit in another order, so a follower that has read up to 11 would never see a 10 whose
 * transaction commits later. Here an event's position is (writing transaction id << 16) +
 * index within the transaction, and StreamEvents delivers only events whose transaction id is
 * below the xmin of its snapshot, i.e. whose transaction and every older one has ended. Any
 * transaction still running, or yet to write, has an id >= that xmin, so every event that
 * becomes deliverable later has a higher position than everything delivered before. (Filtering
 * a bigserial by xid instead is not enough: a transaction can take its id before another
 * and its position after it.) Positions have gaps, which the contract allows.
 *
 * Stream version: the next version of the event's stream, under a transaction-scoped advisory
 * lock on the stream, so concurrent writers to one property (a calendar update and a room-type
 * edit lock different rows) take turns instead of colliding on the unique version. Appending
 * is the last step of every write (call it once per transaction), so these locks are never
 * held while waiting on another kind.
 */
export async function appendEvents(tx: AccommodationTx, events: readonly AccommodationEvent[]): Promise<void> {
  if (events.length === 0) return;
  const metadata = JSON.stringify(eventMetadata());
  // Every stream's lock up front, in one global order, so two transactions that append to the
  // same streams (sweepers expiring holds) cannot deadlock on them.
  const keys = [...new Set(events.map((e) => `${streamOf(e).streamType}:${streamOf(e).streamId}`))].sort();
  for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 11))`);
  for (const e of events) {
    const { streamType, streamId } = streamOf(e);
    const { type, payload } = encodeEvent(e);
    const [row] = await tx.execute<{ position: string; xid: string }>(sql`
      with me as (select pg_current_xact_id()::text::bigint as xid)
      insert into events (position, event_id, stream_type, stream_id, stream_version, type, payload, metadata)
      select coalesce(
               (select max(position) + 1 from events where position >= me.xid << ${SHIFT_SQL} and position < (me.xid + 1) << ${SHIFT_SQL}),
               me.xid << ${SHIFT_SQL}),
             ${randomUUID()}::uuid, ${streamType}, ${streamId},
             coalesce((select max(stream_version) from events where stream_type = ${streamType} and stream_id = ${streamId}), 0) + 1,
             ${type}, ${Buffer.from(payload)}::bytea, ${metadata}::jsonb
      from me
      returning position::text as position, pg_current_xact_id()::text as xid`);
    // One transaction writing more than 2^16 events would run into the next id's range.
    if (BigInt(row.position) >> POSITION_SHIFT !== BigInt(row.xid)) throw new Error("too many events in one transaction");
  }
  appended.add(tx);
}

/**
 * Runs `work` in a transaction like `db.transaction`, then, when it appended events, sends a
 * NOTIFY so followers read them now rather than at their next poll. The NOTIFY is sent after
 * the commit, not inside the transaction: a transaction that notifies takes a database-wide
 * lock while it commits, which would make every write commit one at a time. If the NOTIFY is
 * lost (a crash, a dropped connection), followers still find the events by polling.
 */
export async function writeTransaction<T>(db: AccommodationDb, work: (tx: AccommodationTx) => Promise<T>): Promise<T> {
  let handle: AccommodationTx | undefined;
  const result = await db.transaction((tx) => {
    handle = tx;
    return work(tx);
  });
  if (handle && appended.has(handle)) {
    await db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, '')`).catch(() => undefined);
  }
  return result;
}
