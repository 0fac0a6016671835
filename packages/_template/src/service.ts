// The Connect ServiceImpl: the stores over the service's database, and the handler groups of
// rpcs/ (one file per resource) spread into one object. `Partial` lets a service grow RPC by
// RPC: one not written yet answers UNIMPLEMENTED.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ExampleService } from "@triphub/contracts/triphub/example/v1/example_service_pb";
import { noteRpcs } from "./rpcs/note-rpcs.js";
import type { ExampleDb } from "./store/db.js";
import { createNoteStore } from "./store/note-store.js";

/** What the RPCs need: the database and the clock (never `new Date()` in a handler). */
export interface ExampleServiceDeps {
  db: ExampleDb;
  now: () => Date;
}

/** The ExampleService RPCs: protos in, domain and stores, protos out. */
export function createExampleService(d: ExampleServiceDeps): Partial<ServiceImpl<typeof ExampleService>> {
  const notes = createNoteStore(d.db);
  return {
    ...noteRpcs({ notes, now: d.now }),
  };
}
