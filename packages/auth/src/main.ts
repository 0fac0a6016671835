// Process entry of the auth service: the chassis runs it. No logic here.
import { runService } from "@triphub/platform";
import { loadAuthConfig } from "./config.js";
import { buildServer, MIGRATIONS_FOLDER } from "./server.js";

await runService({ name: "auth", loadConfig: loadAuthConfig, migrationsFolder: MIGRATIONS_FOLDER, build: buildServer });
