// Process entry of the accommodation service: the chassis runs it. No logic here.
import { runService } from "@triphub/platform";
import { loadAccommodationConfig } from "./config.js";
import { buildServer, MIGRATIONS_FOLDER } from "./server.js";

await runService({ name: "accommodation", loadConfig: loadAccommodationConfig, migrationsFolder: MIGRATIONS_FOLDER, build: buildServer });
