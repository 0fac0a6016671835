import { type EnvVar, env, InvalidValue, loadConfig, SERVICE_NAME, sealingConfigSpec, serviceConfigSpec } from "@triphub/platform";
import { oauthProviders } from "./oidc/provider-config.js";

/**
 * The services that may get service tokens, as `name:sha256-of-secret` pairs, comma-separated
 * (platform's `formatServiceClients` writes it). Only hashes: the value is not a secret.
 */
const serviceClients: EnvVar<ReadonlyMap<string, string>> = {
  expect: "comma-separated <service>:<64 hex digits> pairs",
  parse(raw) {
    const clients = new Map<string, string>();
    for (const entry of (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
      const [name = "", hash = ""] = entry.split(":", 2);
      if (!SERVICE_NAME.test(name) || !/^[0-9a-f]{64}$/i.test(hash)) {
        throw new InvalidValue(`entry "${name}:…" must be <service>:<sha256 hex of its secret>`);
      }
      clients.set(name, hash.toLowerCase());
    }
    return clients;
  },
};

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
  /** Users' email and phone are sealed at rest: DATA_KEKS, BLIND_INDEX_KEY (both required), DATA_KEY_MAX_AGE_DAYS. */
  ...sealingConfigSpec,
  /** Services that may call others: who gets service tokens from POST /oauth2/token. */
  SERVICE_CLIENTS: serviceClients,
  /** Lifetime of service tokens (never longer than ACCESS_TOKEN_TTL_SECONDS). */
  SERVICE_TOKEN_TTL_SECONDS: env.int({ default: 300, min: 60, max: 3600 }),
  /**
   * The Redis shared with the gateways: the list of ended sessions they check every access token
   * against. Unset: gateways ask CheckSession, which reads this service's database.
   */
  REDIS_URL: env.optionalUrl(["redis", "rediss"]),
  /** Social login providers (OpenID Connect) as JSON; unset: social login is off. See `oauthProviders` for the format. */
  OAUTH_PROVIDERS: oauthProviders,
};

/** The auth service's configuration. */
export type AuthConfig = ReturnType<typeof loadAuthConfig>;

/** Reads the auth configuration; throws a ConfigError naming every bad variable. */
export const loadAuthConfig = (source: Record<string, string | undefined>) => loadConfig(authConfigSpec, source);
