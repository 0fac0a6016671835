import { appendToOutbox, type EventLog, writeTransaction as platformWriteTransaction } from "@triphub/platform/events";
import type { AccommodationEvent } from "../domain/events.js";
import { streamOf } from "../domain/events.js";
import { encodeEvent } from "../proto-mapping/events.js";
import type { AccommodationDb, AccommodationTx } from "./db.js";

/** The NOTIFY channel that tells StreamEvents followers new events may have committed. */
export const EVENTS_CHANNEL = "accommodation_events";

/** Accommodation's outbox: the `events` table of schema.ts and its channel. */
export const EVENT_LOG: EventLog = { table: "events", channel: EVENTS_CHANNEL };

/**
 * Records `events` in the transaction `tx`, after the change they describe, each at its
 * stream's next version (the platform's outbox: @triphub/platform/events, outbox.ts, says how
 * positions stay in delivery order). Appending is the last step of every write: call it once
 * per transaction. The busiest writer, the hold sweeper, writes one event per expired hold in
 * batches of 100, far below the 65,536 a transaction may write.
 */
export async function appendEvents(tx: AccommodationTx, events: readonly AccommodationEvent[]): Promise<void> {
  await appendToOutbox(
    tx,
    EVENT_LOG,
    events.map((e) => ({ ...streamOf(e), ...encodeEvent(e) })),
  );
}

/**
 * Runs `work` in a transaction like `db.transaction`, then, when it appended events, NOTIFYs
 * StreamEvents followers after the commit.
 */
export function writeTransaction<T>(db: AccommodationDb, work: (tx: AccommodationTx) => Promise<T>): Promise<T> {
  return platformWriteTransaction(db, work);
}
