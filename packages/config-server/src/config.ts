// The one place that says what the config server reads from its environment. main.ts reads it
// once (through runService) and fails at start naming every bad variable.
import { env, loadConfig, serviceConfigSpec } from "@triphub/platform";

/** Everything the config server reads from its environment, with the defaults `npm start` uses. */
export const configServerConfigSpec = {
  // PORT, HOST, LOG_LEVEL and TLS, the same for every service (its port in the devstack is
  // packages/devstack/src/services.ts's). It never follows a config server itself.
  ...serviceConfigSpec(7107),
  // Its own database; the devstack sets it. Several config server instances may share it.
  DATABASE_URL: env.url(undefined, ["postgres", "postgresql"]),
  /** Where access tokens (ADMIN users) and service tokens (every other service) are verified. */
  AUTH_JWKS_URL: env.url("http://127.0.0.1:7101/.well-known/jwks.json", ["http", "https"]),
  AUTH_ISSUER: env.string("triphub-auth"),
  AUTH_AUDIENCE: env.string("triphub"),
  /** How often a watch re-reads without a notification: the longest a missed NOTIFY delays a change. */
  CONFIG_POLL_MS: env.int({ default: 5_000, min: 100, max: 60_000 }),
};

/** The config server's configuration. */
export type ConfigServerConfig = ReturnType<typeof loadConfigServerConfig>;

/** Reads the configuration; throws a ConfigError naming every bad variable. */
export const loadConfigServerConfig = (source: Record<string, string | undefined>) => loadConfig(configServerConfigSpec, source);
