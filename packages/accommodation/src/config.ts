import { env, loadConfig, serviceConfigSpec, serviceIdentityConfigSpec } from "@triphub/platform";

/** Everything the accommodation service reads from its environment, with the defaults `npm start` uses. */
export const accommodationConfigSpec = {
  ...serviceConfigSpec(7102),
  // Its service identity: it calls review's internal StreamEvents (when REVIEW_URL is set).
  ...serviceIdentityConfigSpec,
  DATABASE_URL: env.url(undefined, ["postgres", "postgresql"]),
  /** Where access tokens are verified: the auth service's JWKS. */
  AUTH_JWKS_URL: env.url("http://127.0.0.1:7101/.well-known/jwks.json", ["http", "https"]),
  AUTH_ISSUER: env.string("triphub-auth"),
  AUTH_AUDIENCE: env.string("triphub"),
  /** Shared cache for search pages and details; without it each instance caches locally. */
  REDIS_URL: env.optionalUrl(["redis", "rediss"]),
  /** How often the sweeper gives the units of lapsed holds back. */
  HOLD_SWEEP_INTERVAL_MS: env.int({ default: 5_000, min: 100, max: 300_000 }),
  /**
   * The review service (gRPC), whose rating statistics accommodation mirrors into properties'
   * rating summaries. Unset: nothing is consumed and ratings stay as they are.
   */
  REVIEW_URL: env.optionalServiceUrl(),
};

/** The accommodation service's configuration. */
export type AccommodationConfig = ReturnType<typeof loadAccommodationConfig>;

/** Reads the accommodation configuration; throws a ConfigError naming every bad variable. */
export const loadAccommodationConfig = (source: Record<string, string | undefined>) => loadConfig(accommodationConfigSpec, source);
