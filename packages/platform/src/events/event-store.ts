import { sql } from "drizzle-orm";
import type { EventExecutor, EventLog, StoredEvent } from "./db.js";
import { SHIFT_SQL } from "./outbox.js";

/** One read of the log. */
export interface EventPage {
  /** The next deliverable events after the position asked for, in position order. */
  events: StoredEvent[];
  /** The highest deliverable position (0 when there is none yet), whatever the filter. */
  head: bigint;
  /**
   * Whether committed events exist that are not deliverable yet (an older transaction is still
   * running): they become deliverable without any new commit, so a follower should look again
   * soon instead of waiting for a notification.
   */
  pending: boolean;
}

/** The read side of the outbox, for StreamEvents. */
export interface EventStore {
  /** Up to `limit` deliverable events after `after`, only of `types` when it is not empty. */
  read(after: bigint, types: readonly string[], limit: number): Promise<EventPage>;
}

/** A row of an events table as the raw queries return it. */
export interface EventRow extends Record<string, unknown> {
  position: string | null;
  event_id: string;
  stream_type: string;
  stream_id: string;
  stream_version: number;
  type: string;
  payload: Uint8Array;
  metadata: Record<string, string>;
  occur_time: Date | string;
}

/** The record of a row read with `position::text as position`. */
export function storedEvent(r: EventRow): StoredEvent {
  return {
    position: BigInt(r.position ?? 0),
    eventId: r.event_id,
    streamType: r.stream_type,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    type: r.type,
    payload: new Uint8Array(r.payload),
    metadata: r.metadata,
    occurTime: new Date(r.occur_time),
  };
}

/** The reader of `log`'s table over `db`. */
export function createEventStore(db: EventExecutor, log: Pick<EventLog, "table">): EventStore {
  const table = sql.identifier(log.table);
  return {
    async read(after, types, limit) {
      const ofType = types.length === 0 ? sql`true` : sql`e.type in (${sql.join(types.map((t) => sql`${t}`), sql`, `)})`;
      // One statement, so the horizon, the page and the head come from one snapshot: its xmin
      // is the oldest transaction still running, and every event below the horizon belongs to
      // a transaction that has ended (see outbox.ts).
      const rows = await db.execute<EventRow & { head: string; pending: boolean }>(sql`
        with h as (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint << ${SHIFT_SQL} as horizon),
        page as (
          select e.* from ${table} e, h
          where e.position > ${after.toString()}::bigint and e.position < h.horizon and ${ofType}
          order by e.position limit ${limit}
        ),
        top as (
          select coalesce((select max(position) from ${table}, h where position < h.horizon), 0)::text as head,
                 exists (select 1 from ${table}, h where position >= h.horizon) as pending
        )
        select top.head, top.pending, page.position::text as position, page.event_id, page.stream_type, page.stream_id,
               page.stream_version, page.type, page.payload, page.metadata, page.occur_time
        from top left join page on true
        order by page.position`);
      const first = rows[0];
      const events = rows.filter((r) => r.position !== null).map(storedEvent);
      return { events, head: BigInt(first?.head ?? 0), pending: first?.pending ?? false };
    },
  };
}
