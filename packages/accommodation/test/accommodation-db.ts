import { fileURLToPath } from "node:url";
import { freshDatabase } from "@triphub/testkit";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { AccommodationDb } from "../src/store/db.js";

/** The accommodation service's drizzle-kit migrations. */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** A fresh migrated accommodation database for one test file, and how to close its pool. */
export interface TestDb {
  db: AccommodationDb;
  /** Another pool on the same database, as a second service instance would have. */
  connect(max?: number): Promise<TestDb>;
  close(): Promise<void>;
}

async function open(url: string, max = 8): Promise<TestDb> {
  const client = postgres(url, { max, onnotice: () => {} });
  return { db: drizzle(client), connect: (m) => open(url, m), close: () => client.end() };
}

/** Opens a fresh database (call in `beforeAll`, `close` in `afterAll`). */
export async function openTestDb(name: string): Promise<TestDb> {
  return open(await freshDatabase({ migrationsFolder, name }));
}
