// Process entry: the chassis's runService reads the configuration, opens the database, applies
// the migrations, builds the server and serves it until SIGTERM. No logic here.
import { runService } from "@triphub/platform";
import { loadRegistryConfig } from "./config.js";
import { buildServer, MIGRATIONS_FOLDER, REGISTRY_SERVICE_NAME } from "./server.js";

await runService({ name: REGISTRY_SERVICE_NAME, loadConfig: loadRegistryConfig, migrationsFolder: MIGRATIONS_FOLDER, build: buildServer });
