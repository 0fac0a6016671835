// Pure rules about notes: no I/O, no clock (the time is passed in), no drizzle, Fastify or
// contracts imports. Business rules live here; the proto's buf.validate rules only check
// shape, once, before a handler runs. Replace Note with the service's own resource.
import { invalid } from "@triphub/platform/domain-error";

/** A note as the service knows it. */
export interface Note {
  noteId: string;
  authorId: string;
  title: string;
  body: string;
  createdAt: Date;
}

/** What writing a note needs; the store gives it an id. */
export type NewNote = Omit<Note, "noteId">;

/**
 * A new note by `authorId` at `now`. The title is trimmed, and one of only spaces is refused:
 * the proto's min_len cannot tell "   " from a title.
 */
export function newNote(input: { title: string; body: string }, authorId: string, now: Date): NewNote {
  const title = input.title.trim();
  if (title === "") throw invalid("title", "must not be blank");
  return { authorId, title, body: input.body, createdAt: now };
}

/** Whether `userId` may read `note`: only its author. */
export const canRead = (note: Note, userId: string): boolean => note.authorId === userId;
