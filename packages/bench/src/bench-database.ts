import { MIGRATIONS_FOLDER } from "@triphub/auth";
import { createLogger, migrateExclusively } from "@triphub/platform";
import { databaseUrl, startPostgres } from "@triphub/testkit";
import postgres from "postgres";

/** A PostgreSQL server (the testkit's choice) with a fresh, migrated auth database. */
export async function authDatabase(name: string) {
  const pg = await startPostgres();
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = databaseUrl(pg.url, name);
  await migrateExclusively(url, MIGRATIONS_FOLDER, createLogger({ service: "bench", level: "warn" }));
  return { url, stop: () => pg.stop() };
}
