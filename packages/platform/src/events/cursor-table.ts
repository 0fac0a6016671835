import { sql } from "drizzle-orm";
import { bigint, check, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** The table name {@link consumeEvents} uses unless told otherwise. */
export const DEFAULT_CURSOR_TABLE = "event_cursors";

/**
 * The schema of a consuming service's cursors, for its own schema.ts (drizzle-kit generates
 * the table into that service's migrations): one row per feed it consumes (`consumeEvents`'s
 * `name`), holding the position of the last event it applied. The row is advanced in the
 * transaction that applies the events, so the cursor and their effects commit together.
 */
export function eventCursorsTable(name: string = DEFAULT_CURSOR_TABLE) {
  return pgTable(
    name,
    {
      consumer: text("consumer").primaryKey(),
      position: bigint("position", { mode: "bigint" }).notNull().default(sql`0`),
      updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3, mode: "date" }).notNull().defaultNow(),
    },
    (t) => [check(`${name}_position_not_negative`, sql`${t.position} >= 0`)],
  );
}
