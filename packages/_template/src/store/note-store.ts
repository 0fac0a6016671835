// A repository: takes and returns domain types, hides drizzle and SQL. A state change that needs
// a lock belongs in one function here that loads FOR UPDATE, runs the domain rule and saves in
// one transaction (see packages/auth/src/store/session-store.ts).
import { isUuid } from "@triphub/platform";
import { eq } from "drizzle-orm";
import type { NewNote, Note } from "../domain/note.js";
import type { ExampleDb } from "./db.js";
import { notes } from "./schema.js";

/** Notes in the service's database. */
export interface NoteStore {
  insert(note: NewNote): Promise<Note>;
  /** The note, or undefined when there is none with that id. */
  get(noteId: string): Promise<Note | undefined>;
}

/** The note store over `db`. */
export function createNoteStore(db: ExampleDb): NoteStore {
  return {
    async insert(note) {
      const [row] = await db.insert(notes).values(note).returning();
      if (!row) throw new Error("insert returned no row");
      return row;
    },
    async get(noteId) {
      // The proto already checks the shape; this keeps the store safe for other callers too.
      if (!isUuid(noteId)) return undefined;
      const [row] = await db.select().from(notes).where(eq(notes.noteId, noteId));
      return row;
    },
  };
}
