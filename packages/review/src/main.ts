// Process entry: the chassis's runService reads the configuration, opens the database, applies
// the migrations, builds the server and serves it until SIGTERM. Keep logic out of this file;
// a copy changes only the names.
import { runService } from "@triphub/platform";
import { loadReviewConfig } from "./config.js";
import { buildServer, MIGRATIONS_FOLDER } from "./server.js";

await runService({ name: "review", loadConfig: loadReviewConfig, migrationsFolder: MIGRATIONS_FOLDER, build: buildServer });
