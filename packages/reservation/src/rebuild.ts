// `pnpm --filter @triphub/reservation rebuild` with DATABASE_URL and DATA_KEKS: replays the event
// log into fresh read models (stop the service first). The keys open the guest's contact in the
// events and seal it again in the rows.
import { configOrExit, createLogger, dataKeks, loadConfig, openSealer, runRebuild, systemClock } from "@triphub/platform";
import type { EventDb } from "@triphub/platform/events";
import { MIGRATIONS_FOLDER } from "./server.js";
import { rebuildReadModels } from "./store/projections.js";

const { config } = await configOrExit("reservation-rebuild", () => ({ ...loadConfig({ DATA_KEKS: dataKeks }, process.env), TLS_CERT_FILE: undefined }));
const log = createLogger({ service: "reservation-rebuild", level: process.env.LOG_LEVEL ?? "info" });

await runRebuild({
  name: "reservation",
  migrationsFolder: MIGRATIONS_FOLDER,
  rebuild: async (database) => {
    const db = database.db as EventDb;
    return rebuildReadModels(db, await openSealer(db, { keks: config.DATA_KEKS, log, now: systemClock }));
  },
});
