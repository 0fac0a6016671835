// The demo reviews loader: `node --import tsx src/seed/main.ts` with DATABASE_URL (review's),
// RESERVATION_DATABASE_URL and AUTH_DATABASE_URL in the environment (URLs carry passwords; a
// command line is public). Migrates review's database, reads the completed stays and the
// reviewers, and writes the reviews that are missing (see seed-reviews.ts).
import { createLogger, openDatabase, uuidFromName, withConnection } from "@triphub/platform";
import { MIGRATIONS_FOLDER } from "../server.js";
import type { ReviewDb } from "../store/db.js";
import { readCompletedStays, readProfiles } from "./read-history.js";
import { countReviews, seedReviews } from "./seed-reviews.js";

/** The demo guest's stays are left for the newcomer to review (README). */
const DEMO_GUEST_ID = uuidFromName("triphub-demo/1/guest");

const log = createLogger({ service: "review-seed", level: "info" });
const { DATABASE_URL: url, RESERVATION_DATABASE_URL: reservationUrl, AUTH_DATABASE_URL: authUrl } = process.env;
if (!url || !reservationUrl || !authUrl) {
  log.error("usage: DATABASE_URL=… RESERVATION_DATABASE_URL=… AUTH_DATABASE_URL=… seed");
  process.exit(2);
}
const started = performance.now();
const [stays, profiles] = await Promise.all([withConnection(reservationUrl, readCompletedStays), withConnection(authUrl, (sql) => readProfiles(sql, DEMO_GUEST_ID))]);
const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 2 });
try {
  const db = database.db as ReviewDb;
  const result = await seedReviews(db, { stays, profiles, now: new Date() });
  log.info({ stays: stays.length, ...result, total: await countReviews(db), ms: Math.round(performance.now() - started) }, "demo reviews seeded");
} finally {
  await database.close();
}
