/** The auth service, as tests and the devstack build it. */
export { type AuthConfig, authConfigSpec, loadAuthConfig } from "./config.js";
export { type AuthServerDeps, buildAuthImpl, buildServer, MIGRATIONS_FOLDER } from "./server.js";
