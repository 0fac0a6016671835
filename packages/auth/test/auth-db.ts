import { fileURLToPath } from "node:url";
import { createLogger, loadConfig, openSealer, type Sealer, sealingConfigSpec } from "@triphub/platform";
import { freshDatabase, testSealingKeys } from "@triphub/testkit";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { AuthDb } from "../src/store/db.js";

/** The auth service's drizzle-kit migrations. */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** A fresh migrated auth database for one test file, and how to close its pool. */
export interface TestDb {
  db: AuthDb;
  /** Another pool on the same database, as a second service instance would have. */
  connect(): Promise<TestDb>;
  close(): Promise<void>;
}

async function open(url: string): Promise<TestDb> {
  const client = postgres(url, { max: 8, onnotice: () => {} });
  return { db: drizzle(client), connect: () => open(url), close: () => client.end() };
}

/** Opens a fresh database (call in `beforeAll`, `close` in `afterAll`). */
export async function openTestDb(name: string): Promise<TestDb> {
  return open(await freshDatabase({ migrationsFolder, name }));
}

/** A sealer over `db` with fresh test keys (or `keys`, to reopen with the same ones). */
export async function testSealer(db: AuthDb, keys: Record<string, string> = testSealingKeys()): Promise<Sealer> {
  const cfg = loadConfig(sealingConfigSpec, keys);
  const log = createLogger({ service: "auth-test", level: "silent" });
  return openSealer(db, { keks: cfg.DATA_KEKS, blindIndexKey: cfg.BLIND_INDEX_KEY, log, now: () => new Date() });
}
