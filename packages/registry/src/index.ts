// What other packages (the devstack, tests, tools) may use. List each export by name.

/** The registry's configuration, as the devstack and tests load it. */
export { loadRegistryConfig, type RegistryConfig, registryConfigSpec } from "./config.js";
/** Builds the registry process; `MIGRATIONS_FOLDER` is what the chassis applies at start. */
export { buildServer, MIGRATIONS_FOLDER, REGISTRY_SERVICE_NAME, type RegistryServerDeps } from "./server.js";
/** The ServiceImpl without the chassis (for in-process router tests). */
export { createRegistryService, type RegistryServiceDeps } from "./service.js";
