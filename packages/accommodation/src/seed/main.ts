// The demo catalogue loader: `node --import tsx src/seed/main.ts --properties 2000 --database-url postgres://...`.
// Migrates the database first, then bulk-loads a deterministic catalogue (see generate.ts).
import { parseArgs } from "node:util";
import { createLogger, openDatabase } from "@triphub/platform";
import { localDate } from "../domain/dates.js";
import { MIGRATIONS_FOLDER } from "../server.js";
import { loadSeed } from "./load.js";

const { values } = parseArgs({
  options: {
    properties: { type: "string", default: "2000" },
    "database-url": { type: "string" },
    seed: { type: "string", default: "1" },
    "calendar-days": { type: "string", default: "365" },
    hosts: { type: "string", default: "50" },
    // For `npm start`: load only into an empty catalogue, so restarts keep the data as it is.
    "if-empty": { type: "boolean", default: false },
  },
});
const log = createLogger({ service: "accommodation-seed", level: "info" });
const count = Number(values.properties);
const url = values["database-url"] ?? process.env.DATABASE_URL;
if (!url || !Number.isInteger(count) || count < 0) {
  log.error("usage: seed --properties N --database-url postgres://... [--seed S] [--calendar-days D] [--hosts H]");
  process.exit(2);
}
const now = new Date();
const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 2 });
const started = performance.now();
try {
  if (values["if-empty"]) {
    const [{ n }] = await database.sql<{ n: number }[]>`select count(*)::int as n from properties`;
    if (n > 0) {
      log.info({ properties: n }, "catalogue not empty; seed skipped");
      process.exit(0);
    }
  }
  const result = await loadSeed(database.sql, count, {
    seed: Number(values.seed),
    startDate: localDate(now, "Asia/Seoul"),
    calendarDays: Number(values["calendar-days"]),
    hosts: Number(values.hosts),
  }, now);
  log.info({ ...result, ms: Math.round(performance.now() - started) }, "seed catalogue loaded");
} finally {
  await database.close();
}
