// The one place that says what the service reads from its environment. main.ts reads it once
// (through runService) and fails at start naming every bad variable; nothing else reads
// process.env. Add a variable here with its default for `npm start`, then pass the value down.
import { env, loadConfig, serviceConfigSpec, serviceIdentityConfigSpec } from "@triphub/platform";

/** Everything the service reads from its environment, with the defaults `npm start` uses. */
export const reviewConfigSpec = {
  // PORT, HOST, LOG_LEVEL, TLS and the service identity, the same for every service. The port
  // is the service's own in the devstack (packages/devstack/src/services.ts).
  ...serviceConfigSpec(7105),
  // Its service identity: it asks reservation whether a stay happened, and auth for profiles.
  ...serviceIdentityConfigSpec,
  // Its own database; the devstack sets it (one database per service, nobody else reads it).
  DATABASE_URL: env.url(undefined, ["postgres", "postgresql"]),
  /** Where access tokens are verified: the auth service's JWKS. */
  AUTH_JWKS_URL: env.url("http://127.0.0.1:7101/.well-known/jwks.json", ["http", "https"]),
  AUTH_ISSUER: env.string("triphub-auth"),
  AUTH_AUDIENCE: env.string("triphub"),
  /** The services review calls (gRPC). */
  AUTH_URL: env.serviceUrl("http://127.0.0.1:7101"),
  RESERVATION_URL: env.serviceUrl("http://127.0.0.1:7104"),
};

/** The service's configuration. */
export type ReviewConfig = ReturnType<typeof loadReviewConfig>;

/** Reads the configuration; throws a ConfigError naming every bad variable. */
export const loadReviewConfig = (source: Record<string, string | undefined>) => loadConfig(reviewConfigSpec, source);
