/**
 * The event toolkit every service that records events shares: the transactional outbox and
 * its reader and LISTEN/NOTIFY feed for StreamEvents, and, for event-sourced aggregates, the
 * decider pattern with appends at an expected stream version, loading by replay, projections
 * in the same transaction and rebuilding them from the log; and, on the consuming side, a
 * durable consumer of another service's StreamEvents with its cursor in the consumer's database.
 */
export {
  type ConsumeEventsOptions,
  consumeEvents,
  type EventBatch,
  type EventConsumer,
  type EventConsumerStatus,
  type EventStreamRequest,
} from "./consume-events.js";
export { DEFAULT_CURSOR_TABLE, eventCursorsTable } from "./cursor-table.js";
export type { EventDb, EventExecutor, EventLog, EventTx, OutboxEntry, StoredEvent } from "./db.js";
export { type Decider, type EventCodec, fold } from "./decider.js";
export { type EventFeed, createEventFeed } from "./event-feed.js";
export { eventMetadata, withEventMetadata } from "./event-metadata.js";
export { eventMetadataInterceptor } from "./event-metadata-interceptor.js";
export { createEventStore, type EventPage, type EventStore } from "./event-store.js";
export {
  type Aggregate,
  type AppendedEvent,
  appendToStream,
  type CommandResult,
  type HandleCommandOptions,
  handleCommand,
  loadStream,
  type RebuildOptions,
  rebuildProjections,
  type StreamRef,
} from "./event-stream.js";
export { appendToOutbox, POSITION_SHIFT, SHIFT_SQL, writeTransaction } from "./outbox.js";
export {
  DEFAULT_EVENT_BATCH,
  type EventFollowDeps,
  followEvents,
  MAX_EVENT_BATCH,
  type StreamEventsQuery,
  toProtoEvent,
} from "./stream-events.js";
export { eventsTable } from "./table.js";
