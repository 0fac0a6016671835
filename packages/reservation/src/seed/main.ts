// The demo history loader: `node --import tsx src/seed/main.ts --database-url postgres://…/reservation
// --accommodation-database-url postgres://…/accommodation --auth-database-url postgres://…/auth`
// (or DATABASE_URL, ACCOMMODATION_DATABASE_URL and AUTH_DATABASE_URL in the environment).
// Migrates reservation's database, reads the catalogue and the demo accounts (seeded before
// it), and writes the completed stays that are missing (see seed-history.ts).
import { parseArgs } from "node:util";
import { configOrExit, createLogger, dataKeks, loadConfig, openDatabase, openSealer, withConnection } from "@triphub/platform";
import { MIGRATIONS_FOLDER } from "../server.js";
import { readCatalogue } from "./catalogue.js";
import { readDemoGuests } from "./guests.js";
import { seedStayHistory } from "./seed-history.js";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    "accommodation-database-url": { type: "string" },
    "auth-database-url": { type: "string" },
    seed: { type: "string", default: "1" },
  },
});
const log = createLogger({ service: "reservation-seed", level: "info" });
const url = values["database-url"] ?? process.env.DATABASE_URL;
// Also from the environment, as the devstack passes them: URLs carry passwords, a command line is public.
const accommodationUrl = values["accommodation-database-url"] ?? process.env.ACCOMMODATION_DATABASE_URL;
const authUrl = values["auth-database-url"] ?? process.env.AUTH_DATABASE_URL;
if (!url || !accommodationUrl || !authUrl) {
  log.error("usage: seed --database-url URL --accommodation-database-url URL --auth-database-url URL [--seed S]");
  process.exit(2);
}
// The guests' contacts and card tokens are sealed with the service's own keys (DATA_KEKS).
const { config: keys } = await configOrExit("reservation-seed", () => ({ ...loadConfig({ DATA_KEKS: dataKeks }, process.env), TLS_CERT_FILE: undefined }));
const started = performance.now();
// Read-only looks at the other services' databases: one connection each, closed at once.
const [catalogue, guests] = await Promise.all([withConnection(accommodationUrl, readCatalogue), withConnection(authUrl, readDemoGuests)]);
const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 2 });
try {
  const sealer = await openSealer(database.db, { keks: keys.DATA_KEKS, log, now: () => new Date() });
  const result = await seedStayHistory(database.sql, { catalogue, guests, seed: Number(values.seed), now: new Date(), sealer });
  log.info({ properties: catalogue.length, reviewers: guests.reviewers.length, ...result, ms: Math.round(performance.now() - started) }, "demo stays seeded");
} finally {
  await database.close();
}
