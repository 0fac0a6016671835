// What other packages (the devstack, tests, tools) may use. List each export by name.

/** The config server's configuration, as the devstack and tests load it. */
export { type ConfigServerConfig, configServerConfigSpec, loadConfigServerConfig } from "./config.js";
/** Builds the config server process; `MIGRATIONS_FOLDER` is what the chassis applies at start. */
export { buildServer, CONFIG_SERVER_NAME, type ConfigServerDeps, MIGRATIONS_FOLDER } from "./server.js";
/** The ServiceImpl without the chassis (for in-process router tests). */
export { type ConfigServiceDeps, createConfigService } from "./service.js";
