// `pnpm --filter @triphub/reservation rebuild` with DATABASE_URL: replays the event log into
// fresh read models (stop the service first).
import { runRebuild } from "@triphub/platform";
import type { EventDb } from "@triphub/platform/events";
import { MIGRATIONS_FOLDER } from "./server.js";
import { rebuildReadModels } from "./store/projections.js";

await runRebuild({ name: "reservation", migrationsFolder: MIGRATIONS_FOLDER, rebuild: (database) => rebuildReadModels(database.db as EventDb) });
