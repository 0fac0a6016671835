import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { DomainError } from "../domain-error.js";
import { isUniqueViolation } from "../store-helpers.js";
import type { EventDb, EventExecutor, EventLog, EventTx, StoredEvent } from "./db.js";
import type { Decider, EventCodec } from "./decider.js";
import { fold } from "./decider.js";
import { eventMetadata } from "./event-metadata.js";
import { publishSpan } from "../tracing/event-spans.js";
import { type EventRow, storedEvent } from "./event-store.js";
import { insertEvent, writeTransaction } from "./outbox.js";

/** One aggregate's stream: its type (e.g. "reservation") and its id. */
export interface StreamRef {
  streamType: string;
  streamId: string;
}

/**
 * Appends `events` (already encoded) to a stream the caller read at `expectedVersion` (0: the
 * stream must not exist yet); they take versions expectedVersion + 1, + 2, ... and the new
 * version is returned. No lock is taken: when another writer got there first, the unique
 * (stream, version) constraint rejects the insert and this throws a DomainError "conflict"
 * (ABORTED), whose transaction must be rolled back and the command decided again on fresh state.
 */
export async function appendToStream(
  tx: EventTx,
  log: EventLog,
  append: StreamRef & {
    expectedVersion: number;
    events: readonly { type: string; payload: Uint8Array }[];
    /** When the events happened (default: the database's clock). */
    occurTime?: Date;
  },
): Promise<number> {
  return publishSpan(log.table, append.events, async () => {
    const metadata = JSON.stringify(eventMetadata());
    let version = append.expectedVersion;
    for (const e of append.events) {
      version += 1;
      try {
        await insertEvent(tx, log, { streamType: append.streamType, streamId: append.streamId, ...e }, version, metadata, append.occurTime);
      } catch (err) {
        if (isUniqueViolation(err, `${log.table}_stream_version_key`)) {
          throw new DomainError("conflict", `${append.streamType} ${append.streamId} was changed concurrently; retry`, {
            reason: "STREAM_VERSION_CONFLICT",
            cause: err,
          });
        }
        throw err;
      }
    }
    return version;
  });
}

/** Every event of a stream, in version order. */
export async function loadStream(db: EventExecutor, log: Pick<EventLog, "table">, stream: StreamRef): Promise<StoredEvent[]> {
  const rows = await db.execute<EventRow>(sql`
    select position::text as position, event_id, stream_type, stream_id, stream_version, type, payload, metadata, occur_time
    from ${sql.identifier(log.table)}
    where stream_type = ${stream.streamType} and stream_id = ${stream.streamId}
    order by stream_version`);
  return rows.map(storedEvent);
}

/** An event-sourced aggregate: its rules, how its events are stored, and where. */
export interface Aggregate<C, S, E> {
  log: EventLog;
  streamType: string;
  decider: Decider<C, S, E>;
  codec: EventCodec<E, S>;
}

/** An event that a command just appended, for the projections. */
export interface AppendedEvent<E, S = unknown> extends StreamRef {
  version: number;
  event: E;
  /** The aggregate's state after this event. */
  state: S;
}

/** Options of {@link handleCommand}. */
export interface HandleCommandOptions<E, S = unknown> {
  /**
   * Updates the read models from the new events, in the transaction that appends them: if it
   * throws, the events are not recorded either. Each event comes with the state after it, for
   * read models that are the state itself.
   */
  project?: (tx: EventTx, events: readonly AppendedEvent<E, S>[]) => Promise<void>;
  /** How many times to decide and append before a conflict is surfaced (default 5). */
  attempts?: number;
  /**
   * The stream's state and version as the caller last saw them (e.g. from its previous
   * command): the first attempt decides on them without reading the stream. If they are stale,
   * the append conflicts and the retry reads the stream as usual.
   */
  known?: { state: S; version: number };
}

/** What {@link handleCommand} did: the state after the command, its stream version, the new events. */
export interface CommandResult<S, E> {
  state: S;
  version: number;
  events: readonly E[];
}

/**
 * Runs `command` on the stream `streamId`: in one transaction, loads the stream and folds it
 * into state, decides, appends the events at the version it read and updates the projections.
 * When another writer appended to the stream meanwhile, the transaction rolls back and the
 * whole step runs again on the new state, after a short random pause so that racing writers
 * spread out; after `attempts` conflicts the DomainError "conflict" (ABORTED) reaches the
 * caller. A DomainError from `decide` (a broken rule) is not retried. A command that decides
 * no events appends nothing and leaves the version as it was.
 */
export async function handleCommand<C, S, E>(
  db: EventDb,
  aggregate: Aggregate<C, S, E>,
  streamId: string,
  command: C,
  now: Date,
  opts: HandleCommandOptions<E, S> = {},
): Promise<CommandResult<S, E>> {
  const attempts = opts.attempts ?? 5;
  const stream = { streamType: aggregate.streamType, streamId };
  for (let attempt = 1; ; attempt++) {
    try {
      const known = attempt === 1 ? opts.known : undefined;
      return await writeTransaction(db, async (tx) => {
        let { state, version: expectedVersion } = known ?? (await readStream(tx, aggregate, stream));
        let events = aggregate.decider.decide(command, state, now);
        // Deciding nothing on a state that may be stale proves nothing: read and decide again.
        if (events.length === 0 && known) {
          ({ state, version: expectedVersion } = await readStream(tx, aggregate, stream));
          events = aggregate.decider.decide(command, state, now);
        }
        if (events.length === 0) return { state, version: expectedVersion, events };
        // The state after each event: what the codec and the projections may record.
        const states: S[] = [];
        let after = state;
        for (const e of events) {
          after = aggregate.decider.evolve(after, e);
          states.push(after);
        }
        const version = await appendToStream(tx, aggregate.log, {
          ...stream,
          expectedVersion,
          events: events.map((e, i) => aggregate.codec.encode(e, states[i])),
          occurTime: now,
        });
        await opts.project?.(
          tx,
          events.map((event, i) => ({ ...stream, version: expectedVersion + i + 1, event, state: states[i] })),
        );
        return { state: after, version, events };
      });
    } catch (err) {
      if (!(err instanceof DomainError && err.kind === "conflict") || attempt >= attempts) throw err;
      await sleep(Math.random() * 5 * 2 ** Math.min(attempt, 6));
    }
  }
}

/** A stream's state folded from its events, and its version. */
async function readStream<C, S, E>(tx: EventTx, aggregate: Aggregate<C, S, E>, stream: StreamRef): Promise<{ state: S; version: number }> {
  const history = await loadStream(tx, aggregate.log, stream);
  const state = fold(
    aggregate.decider,
    history.map((r) => aggregate.codec.decode(r.type, r.payload, r.occurTime)),
  );
  return { state, version: history.at(-1)?.streamVersion ?? 0 };
}

/** Options of {@link rebuildProjections}. */
export interface RebuildOptions {
  /** Empties the read models (or creates fresh ones) before the replay. */
  reset: (tx: EventTx) => Promise<void>;
  /** Applies one recorded event to the read models. */
  apply: (tx: EventTx, event: StoredEvent) => Promise<void>;
  /** Events read per query (default 500). */
  batchSize?: number;
}

/**
 * Rebuilds read models from the log: resets them, then replays every event in position order,
 * all in one transaction, so readers see either the old read models or the complete new ones.
 * Returns how many events were replayed. Run it with the service's writers stopped, or into
 * fresh tables that are swapped in afterwards: an event committed during the replay may land
 * in the read models twice or not at all.
 */
export async function rebuildProjections(db: EventDb, log: Pick<EventLog, "table">, opts: RebuildOptions): Promise<number> {
  const batchSize = opts.batchSize ?? 500;
  return db.transaction(async (tx) => {
    await opts.reset(tx);
    let after = -1n;
    let replayed = 0;
    for (;;) {
      const rows = await tx.execute<EventRow>(sql`
        select position::text as position, event_id, stream_type, stream_id, stream_version, type, payload, metadata, occur_time
        from ${sql.identifier(log.table)}
        where position > ${after.toString()}::bigint
        order by position limit ${batchSize}`);
      for (const r of rows) {
        const event = storedEvent(r);
        await opts.apply(tx, event);
        after = event.position;
      }
      replayed += rows.length;
      if (rows.length < batchSize) return replayed;
    }
  });
}
