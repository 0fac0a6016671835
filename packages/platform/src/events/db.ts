import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/** A service database as the event toolkit uses it: drizzle over postgres.js (the toolkit runs raw SQL only). */
export type EventDb = PostgresJsDatabase<Record<string, unknown>>;

/** A transaction handle of an {@link EventDb}. */
export type EventTx = Parameters<Parameters<EventDb["transaction"]>[0]>[0];

/** Either a database or a transaction: what a read runs on. */
export type EventExecutor = EventDb | EventTx;

/** Where a service keeps its events: its table and the NOTIFY channel that announces new ones. */
export interface EventLog {
  /** The events table (see {@link eventsTable}), e.g. "events". */
  readonly table: string;
  /** The NOTIFY channel followers LISTEN on, e.g. "accommodation_events". */
  readonly channel: string;
}

/** One event as recorded: what StreamEvents publishes and what a replay reads. */
export interface StoredEvent {
  position: bigint;
  eventId: string;
  streamType: string;
  streamId: string;
  streamVersion: number;
  type: string;
  payload: Uint8Array;
  metadata: Record<string, string>;
  occurTime: Date;
}

/** An event ready to record: its stream, and its payload already encoded (a proto message's binary). */
export interface OutboxEntry {
  streamType: string;
  streamId: string;
  /** Full name of the payload message, e.g. "triphub.accommodation.v1.HoldConfirmed". */
  type: string;
  payload: Uint8Array;
}
