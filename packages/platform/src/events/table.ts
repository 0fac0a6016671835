import { sql } from "drizzle-orm";
import { bigint, check, customType, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array }>({ dataType: () => "bytea" });

/**
 * The schema of a service's event log, for its own schema.ts (each service owns its database,
 * so drizzle-kit generates the table into that service's migrations). The same shape as
 * accommodation's outbox table, so the outbox, the reader and the feed work on either:
 *
 * - `position`: not a sequence; its high bits are the writing transaction's id, which keeps it
 *   strictly increasing in delivery order (see outbox.ts).
 * - `(stream_type, stream_id, stream_version)` unique: optimistic concurrency per aggregate;
 *   a race between two writers of one stream ends in a unique violation, i.e. a conflict.
 * - `payload`: the event's proto message in binary, `type` its full name.
 *
 * Constraint names derive from `name` (`<name>_stream_version_key`), which the store relies on
 * to tell a version conflict from other unique violations.
 */
export function eventsTable(name: string) {
  return pgTable(
    name,
    {
      position: bigint("position", { mode: "bigint" }).primaryKey(),
      eventId: uuid("event_id").notNull().unique(`${name}_event_id_key`),
      streamType: text("stream_type").notNull(),
      streamId: text("stream_id").notNull(),
      streamVersion: integer("stream_version").notNull(),
      type: text("type").notNull(),
      payload: bytea("payload").notNull(),
      metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
      // When it happened: for an event-sourced aggregate, the injected clock's `now` its
      // command was decided at (handleCommand), so replays and tests see the service's time;
      // for an outbox event, the database's clock as it was recorded.
      occurTime: timestamp("occur_time", { withTimezone: true, precision: 3, mode: "date" })
        .notNull()
        .default(sql`clock_timestamp()`),
    },
    (t) => [
      unique(`${name}_stream_version_key`).on(t.streamType, t.streamId, t.streamVersion),
      index(`${name}_type_position_idx`).on(t.type, t.position),
      check(`${name}_stream_version_positive`, sql`${t.streamVersion} >= 1`),
    ],
  );
}
