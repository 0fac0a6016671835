import type { Logger } from "@triphub/platform";
import { createEventFeed as platformEventFeed, type EventFeed } from "@triphub/platform/events";
import type postgres from "postgres";
import { EVENTS_CHANNEL } from "./outbox.js";

export type { EventFeed } from "@triphub/platform/events";

/** Wakes accommodation's StreamEvents followers: one LISTEN on its events channel per process. */
export function createEventFeed(opts: { sql?: postgres.Sql; log: Logger }): EventFeed {
  return platformEventFeed({ ...opts, channel: EVENTS_CHANNEL });
}
