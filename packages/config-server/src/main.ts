// Process entry: the chassis's runService reads the configuration, opens the database, applies
// the migrations, builds the server and serves it until SIGTERM. No logic here.
import { runService } from "@triphub/platform";
import { type ConfigServerConfig, loadConfigServerConfig } from "./config.js";
import { buildServer, CONFIG_SERVER_NAME, MIGRATIONS_FOLDER } from "./server.js";

await runService<ConfigServerConfig>({
  name: CONFIG_SERVER_NAME,
  // The config server never follows a config server (itself, at start, would not answer yet).
  loadConfig: (env) => loadConfigServerConfig({ ...env, CONFIG_URL: undefined }),
  migrationsFolder: MIGRATIONS_FOLDER,
  build: buildServer,
});
