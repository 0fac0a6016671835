// The demo accounts loader: `node --import tsx src/seed/main.ts --database-url postgres://...
// --demo-guest-password-file .data/secrets/demo-guest-password`. Migrates the database first,
// then creates what is missing (see load-demo-users.ts). The password is read from a file, so
// it never appears in a process list or a log.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { configOrExit, createLogger, loadConfig, openDatabase, openSealer, sealingConfigSpec } from "@triphub/platform";
import { MIGRATIONS_FOLDER } from "../server.js";
import { seedDemoUsers } from "./load-demo-users.js";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    "demo-guest-password-file": { type: "string" },
    reviewers: { type: "string", default: "150" },
    seed: { type: "string", default: "1" },
  },
});
const log = createLogger({ service: "auth-seed", level: "info" });
const url = values["database-url"] ?? process.env.DATABASE_URL;
const reviewers = Number(values.reviewers);
const passwordFile = values["demo-guest-password-file"];
if (!url || !passwordFile || !Number.isInteger(reviewers) || reviewers < 0) {
  log.error("usage: seed --database-url postgres://... --demo-guest-password-file FILE [--reviewers N] [--seed S]");
  process.exit(2);
}
// The accounts' email and phone are sealed with the service's own keys (DATA_KEKS, BLIND_INDEX_KEY).
const { config: keys } = await configOrExit("auth-seed", () => ({ ...loadConfig(sealingConfigSpec, process.env), TLS_CERT_FILE: undefined }));
const demoGuestPassword = (await readFile(passwordFile, "utf8")).trim();
const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 2 });
const started = performance.now();
try {
  const sealer = await openSealer(database.db, { keks: keys.DATA_KEKS, blindIndexKey: keys.BLIND_INDEX_KEY, log, now: () => new Date() });
  const result = await seedDemoUsers(database.db, sealer, { reviewers, seed: Number(values.seed), demoGuestPassword, now: new Date() });
  log.info({ ...result, ms: Math.round(performance.now() - started) }, "demo users seeded");
} finally {
  await database.close();
}
