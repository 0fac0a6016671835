import { createEventStore as platformEventStore, type EventStore } from "@triphub/platform/events";
import type { Executor } from "./db.js";
import { EVENT_LOG } from "./outbox.js";

export type { EventPage, EventStore } from "@triphub/platform/events";

/** The reader of accommodation's outbox over `db`, for StreamEvents. */
export function createEventStore(db: Executor): EventStore {
  return platformEventStore(db, EVENT_LOG);
}
