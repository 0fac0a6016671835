// The one place that says what the service reads from its environment. main.ts reads it once
// (through runService) and fails at start naming every bad variable; nothing else reads
// process.env. Add a variable here with its default for `npm start`, then pass the value down.
import { env, loadConfig, serviceConfigSpec } from "@triphub/platform";

/** Everything the service reads from its environment, with the defaults `npm start` uses. */
export const paymentConfigSpec = {
  // PORT, HOST, LOG_LEVEL, TLS and the service identity, the same for every service. The port
  // is the service's own in the devstack (packages/devstack/src/services.ts).
  ...serviceConfigSpec(7103),
  // Its own database; the devstack sets it (one database per service, nobody else reads it).
  DATABASE_URL: env.url(undefined, ["postgres", "postgresql"]),
  /** Where access tokens are verified: the auth service's JWKS. */
  AUTH_JWKS_URL: env.url("http://127.0.0.1:7101/.well-known/jwks.json", ["http", "https"]),
  AUTH_ISSUER: env.string("triphub-auth"),
  AUTH_AUDIENCE: env.string("triphub"),
  /** How long an uncaptured authorization holds before the expirer lapses it (default 7 days). */
  AUTHORIZATION_VALIDITY_MS: env.int({ default: 7 * 24 * 60 * 60 * 1000, min: 1000 }),
  /** How often the authorization expirer looks for lapsed authorizations. */
  AUTHORIZATION_EXPIRY_INTERVAL_MS: env.int({ default: 60_000, min: 10 }),
  /**
   * Fault injection for the reservation crash tests, off in every real deployment: the process
   * kills itself (SIGKILL) after the provider captured a payment and before the capture is
   * recorded, the moment a capture's answer is lost.
   */
  PAYMENT_CRASH_AFTER_PROVIDER_CAPTURE: env.bool(false),
};

/** The service's configuration. */
export type PaymentConfig = ReturnType<typeof loadPaymentConfig>;

/** Reads the configuration; throws a ConfigError naming every bad variable. */
export const loadPaymentConfig = (source: Record<string, string | undefined>) => loadConfig(paymentConfigSpec, source);
