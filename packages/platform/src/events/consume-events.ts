import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Event } from "@triphub/contracts/triphub/common/v1/event_pb";
import { sql } from "drizzle-orm";
import type { Logger } from "../logger.js";
import { consumerMetrics } from "../metrics/event-metrics.js";
import { consumeSpan } from "../tracing/event-spans.js";
import { DEFAULT_CURSOR_TABLE } from "./cursor-table.js";
import type { EventDb, EventTx } from "./db.js";
import { writeTransaction } from "./outbox.js";

/** One message of another service's StreamEvents: every service's StreamEventsResponse has this shape. */
export interface EventBatch {
  events: readonly Event[];
  headPosition: bigint;
}

/** What the consumer asks a stream for: fields of every service's StreamEventsRequest. */
export interface EventStreamRequest {
  afterPosition: bigint;
  types: string[];
}

/** Options of {@link consumeEvents}. */
export interface ConsumeEventsOptions {
  /** The feed's name, the key of its cursor row, e.g. "review". One consumer per name and database. */
  name: string;
  /** The consuming service's database: its cursor table and whatever `handle` writes. */
  db: EventDb;
  /**
   * Opens the producer's stream after a position: the service's Connect client, e.g.
   * `(req, signal) => review.streamEvents(req, { signal, timeoutMs: 0 })` (no deadline: the
   * stream is meant to stay open). Reopened after any error or end.
   */
  open: (request: EventStreamRequest, signal: AbortSignal) => AsyncIterable<EventBatch>;
  /**
   * Applies one event in the batch's transaction. Throwing rolls back the whole batch (and its
   * cursor advance), which is delivered again after a back-off. The cursor skips positions it
   * has applied, so an event is applied once per position; a producer may still publish the
   * same fact twice at two positions, so a handler should be idempotent (say, by a version
   * the event carries).
   */
  handle: (tx: EventTx, event: Event) => Promise<void>;
  /** Full payload type names to ask for; others are skipped. Empty or absent: every event. */
  types?: readonly string[];
  log: Logger;
  /**
   * Runs after a batch has committed, with the events `handle` applied (say, to drop caches:
   * doing it before the commit could let a read cache the old state again). Errors are logged.
   */
  afterCommit?: (applied: readonly Event[]) => Promise<void> | void;
  /** The cursor table (see {@link eventCursorsTable}); default "event_cursors". */
  cursorTable?: string;
  /** Back-off between reopenings: doubles from `initialMs` up to `maxMs` (defaults 200 ms, 30 s). */
  retry?: { initialMs?: number; maxMs?: number };
}

/** Where a consumer stands, for readiness, metrics and tests. */
export interface EventConsumerStatus {
  /** The last position applied (or found applied) by this process; 0 before the first. */
  position: bigint;
  /** The producer's head as its last message said. */
  headPosition: bigint;
  /** Whether a stream is open now. */
  connected: boolean;
  /** Attempts in a row that ended without receiving anything. */
  failures: number;
}

/** A running consumer; see {@link consumeEvents}. */
export interface EventConsumer {
  status(): EventConsumerStatus;
  /**
   * Resolves once everything up to `position` is applied; rejects when `signal` aborts or the
   * consumer stops first.
   */
  waitFor(position: bigint, signal?: AbortSignal): Promise<void>;
  /** Closes the stream, waits for a batch being applied to commit or roll back, and ends. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Consumes another service's StreamEvents durably, starting at once: the position of the last
 * event applied is kept in the consumer's own database (a row of the cursor table), and each
 * batch is applied in ONE transaction together with that row's advance, so a crash anywhere
 * neither loses an event nor applies one twice. Events are applied strictly in position order;
 * any already at or below the cursor (a producer's redelivery, or another instance of this
 * service that got there first: the cursor row is locked while a batch applies) are skipped.
 * Any error (the stream failing or ending, the database, a handler) is logged at warn and the
 * stream reopened from the durable cursor after a capped back-off; the consumer never throws
 * and never gives up until stopped.
 */
export function consumeEvents(opts: ConsumeEventsOptions): EventConsumer {
  const log = opts.log.child({ consumer: opts.name });
  const table = sql.identifier(opts.cursorTable ?? DEFAULT_CURSOR_TABLE);
  const types = [...(opts.types ?? [])];
  const wanted = new Set(types);
  const initialMs = opts.retry?.initialMs ?? 200;
  const maxMs = opts.retry?.maxMs ?? 30_000;
  const stopping = new AbortController();
  setMaxListeners(0, stopping.signal);
  const state: EventConsumerStatus = { position: 0n, headPosition: 0n, connected: false, failures: 0 };
  const waiters = new Set<() => void>();
  const metrics = consumerMetrics(opts.name, () => state.connected);

  const advanced = (position: bigint) => {
    if (position <= state.position) return;
    state.position = position;
    for (const w of [...waiters]) w();
  };

  // The cursor row, created on first use; `for update` in a batch's transaction.
  const cursorRow = async (tx: EventDb | EventTx, lock: boolean): Promise<bigint> => {
    const rows = await tx.execute<{ position: string }>(
      lock
        ? sql`insert into ${table} (consumer) values (${opts.name})
            on conflict (consumer) do update set consumer = excluded.consumer
            returning position::text as position`
        : sql`select position::text as position from ${table} where consumer = ${opts.name}`,
    );
    return BigInt(rows[0]?.position ?? 0);
  };

  const applyBatch = async (events: readonly Event[]): Promise<void> => {
    // writeTransaction: a handler that records events of its own (an outbox) wakes this
    // service's followers after the commit.
    const { cursor, applied } = await writeTransaction(opts.db, async (tx) => {
      let cursor = await cursorRow(tx, true);
      const applied: Event[] = [];
      for (const e of events) {
        if (e.position <= cursor) continue;
        if (wanted.size === 0 || wanted.has(e.type)) {
          try {
            await consumeSpan(opts.name, e, () => opts.handle(tx, e));
          } catch (err) {
            throw new EventHandlerError(e, err);
          }
          applied.push(e);
        }
        cursor = e.position;
      }
      await tx.execute(sql`update ${table} set position = ${cursor.toString()}::bigint, updated_at = now() where consumer = ${opts.name}`);
      return { cursor, applied };
    });
    advanced(cursor);
    if (applied.length > 0 && opts.afterCommit) {
      try {
        await opts.afterCommit(applied);
      } catch (err) {
        log.warn({ err }, "event consumer: after-commit step failed");
      }
    }
  };

  // One stream: from the durable cursor until it ends, fails or the consumer stops.
  const attempt = async (): Promise<void> => {
    // Aborted on stop, and when this attempt ends: the producer's call is cancelled either way.
    const local = new AbortController();
    const signal = AbortSignal.any([stopping.signal, local.signal]);
    try {
      const after = await cursorRow(opts.db, false);
      advanced(after);
      const stream = opts.open({ afterPosition: after, types }, signal);
      state.connected = true;
      for await (const batch of stream) {
        state.failures = 0;
        if (batch.headPosition > state.headPosition) state.headPosition = batch.headPosition;
        if (batch.events.length > 0) await applyBatch(batch.events);
        metrics.received(batch.events.map((e) => (e.occurTime ? timestampDate(e.occurTime) : new Date())));
        if (stopping.signal.aborted) return;
      }
      if (!stopping.signal.aborted) log.info("event consumer: stream ended, reopening");
    } finally {
      state.connected = false;
      local.abort();
    }
  };

  const run = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      try {
        await attempt();
      } catch (err) {
        if (stopping.signal.aborted) break;
        const at = err instanceof EventHandlerError ? { position: err.event.position.toString(), type: err.event.type } : {};
        log.warn({ err: err instanceof EventHandlerError ? err.cause : err, ...at }, "event consumer: stream or batch failed, reopening");
      }
      if (stopping.signal.aborted) break;
      state.failures += 1;
      const delay = Math.min(maxMs, initialMs * 2 ** Math.min(state.failures - 1, 30));
      // Jitter: instances that lost the producer together do not all come back at once.
      await sleep(delay * (0.5 + Math.random() / 2), undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  };
  const running = run()
    .catch((err: unknown) => log.error({ err }, "event consumer stopped unexpectedly"))
    .finally(() => metrics.stop());

  return {
    status: () => ({ ...state }),
    waitFor(position, signal) {
      if (state.position >= position) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          if (state.position < position && !stopping.signal.aborted && !signal?.aborted) return;
          waiters.delete(done);
          signal?.removeEventListener("abort", done);
          stopping.signal.removeEventListener("abort", done);
          if (state.position >= position) resolve();
          else reject(new Error(`event consumer ${opts.name} ${signal?.aborted ? "wait aborted" : "stopped"} at ${state.position}, before ${position}`));
        };
        waiters.add(done);
        signal?.addEventListener("abort", done, { once: true });
        stopping.signal.addEventListener("abort", done, { once: true });
        // Already stopped or aborted: no event will come.
        done();
      });
    },
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

/** A handler's failure, with the event it failed on (for the log line). */
class EventHandlerError extends Error {
  constructor(
    readonly event: Event,
    cause: unknown,
  ) {
    super(`handling ${event.type} at ${event.position} failed`, { cause });
  }
}
