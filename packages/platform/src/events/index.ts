/**
 * The event toolkit every service that records events shares: the transactional outbox and
 * its reader and LISTEN/NOTIFY feed for StreamEvents.
 */
export type { EventDb, EventExecutor, EventLog, EventTx, OutboxEntry, StoredEvent } from "./db.js";
export { type EventFeed, createEventFeed } from "./event-feed.js";
export { eventMetadata, withEventMetadata } from "./event-metadata.js";
export { createEventStore, type EventPage, type EventStore } from "./event-store.js";
export { appendToOutbox, POSITION_SHIFT, SHIFT_SQL, writeTransaction } from "./outbox.js";
export { eventsTable } from "./table.js";
