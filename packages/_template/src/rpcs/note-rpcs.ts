// Thin handlers, one group per resource: request -> domain -> store -> response. The chassis has
// already refused bad shapes (buf.validate) and bad tokens; a handler asks who is calling and
// throws DomainError kinds, which the chassis maps to Connect codes.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ExampleService } from "@triphub/contracts/triphub/example/v1/example_service_pb";
import { notFound, requireIdentity } from "@triphub/platform";
import { canRead, newNote } from "../domain/note.js";
import { toProtoNote } from "../proto-mapping/note.js";
import type { NoteStore } from "../store/note-store.js";

type NoteRpcs = Pick<ServiceImpl<typeof ExampleService>, "createNote" | "getNote">;

/** CreateNote and GetNote: any signed-in user writes notes; only the author reads one. */
export function noteRpcs(d: { notes: NoteStore; now: () => Date }): NoteRpcs {
  return {
    async createNote(req, ctx) {
      const caller = requireIdentity(ctx);
      const note = await d.notes.insert(newNote(req, caller.userId, d.now()));
      return { note: toProtoNote(note) };
    },
    async getNote(req, ctx) {
      const caller = requireIdentity(ctx);
      const note = await d.notes.get(req.noteId);
      // Someone else's note is NOT_FOUND, not PERMISSION_DENIED: ids reveal nothing (AIP-211).
      if (!note || !canRead(note, caller.userId)) throw notFound("note", req.noteId);
      return { note: toProtoNote(note) };
    },
  };
}
