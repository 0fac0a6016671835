// The drizzle schema: the tables this service owns. After changing it, run `pnpm db:generate`
// in this package and commit the new drizzle/NNNN_*.sql; never edit a committed one.
import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Millisecond precision matches JavaScript's Date, so a time read back compares equal.
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

/** Notes, one row each; `author_id` is the auth service's user id (no foreign key across services). */
export const notes = pgTable("notes", {
  noteId: uuid("note_id").primaryKey().defaultRandom(),
  authorId: uuid("author_id").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  createdAt: ts("created_at").notNull(),
});
