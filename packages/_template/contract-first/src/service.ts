// The Connect ServiceImpl of a service whose contract came first. No RPC is written yet, so
// each answers UNIMPLEMENTED. Write them one resource at a time: a handler group in
// rpcs/<resource>-rpcs.ts (the template's rpcs/note-rpcs.ts shows the shape), its stores
// built here from `d.db`, and spread here.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ExampleService } from "@triphub/contracts/triphub/example/v1/example_service_pb";
import type { ExampleDb } from "./store/db.js";

/** What the RPCs need: the database and the clock (never `new Date()` in a handler). */
export interface ExampleServiceDeps {
  db: ExampleDb;
  now: () => Date;
}

/** The ExampleService RPCs written so far: none. */
export function createExampleService(_d: ExampleServiceDeps): Partial<ServiceImpl<typeof ExampleService>> {
  return {};
}
