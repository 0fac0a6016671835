import { env, loadConfig, serviceConfigSpec } from "@triphub/platform";

/** Everything the auth service reads from its environment, with the defaults `npm start` uses. */
export const authConfigSpec = {
  ...serviceConfigSpec(7101),
  DATABASE_URL: env.url(undefined, ["postgres", "postgresql"]),
  AUTH_ISSUER: env.string("triphub-auth"),
  AUTH_AUDIENCE: env.string("triphub"),
  ACCESS_TOKEN_TTL_SECONDS: env.int({ default: 900, min: 60, max: 3600 }),
  REFRESH_TOKEN_TTL_DAYS: env.int({ default: 30, min: 1, max: 365 }),
  /** Signing up with this email makes the account ADMIN: how a fresh install gets its first admin. */
  BOOTSTRAP_ADMIN_EMAIL: env.optionalString(),
  /**
   * Seals the signing keys' private halves in the database (AES-256-GCM under a key derived
   * from it). Unset: they are stored as they are, which only a development database should
   * accept. `npm start` generates one on first start.
   */
  AUTH_KEY_ENCRYPTION_KEY: env.optionalSecret(32),
};

/** The auth service's configuration. */
export type AuthConfig = ReturnType<typeof loadAuthConfig>;

/** Reads the auth configuration; throws a ConfigError naming every bad variable. */
export const loadAuthConfig = (source: Record<string, string | undefined>) => loadConfig(authConfigSpec, source);
