// proto <-> domain conversion and nothing else: rpcs/ calls these so neither domain/ nor store/
// ever sees a generated message.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Note as ProtoNote, NoteSchema } from "@triphub/contracts/triphub/example/v1/example_service_pb";
import type { Note } from "../domain/note.js";

/** A domain note as its proto message. */
export function toProtoNote(n: Note): ProtoNote {
  return create(NoteSchema, {
    noteId: n.noteId,
    authorId: n.authorId,
    title: n.title,
    body: n.body,
    createTime: timestampFromDate(n.createdAt),
  });
}
