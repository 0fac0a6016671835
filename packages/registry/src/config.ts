// The one place that says what the registry reads from its environment. main.ts reads it once
// (through runService) and fails at start naming every bad variable.
import { env, loadConfig, serviceConfigSpec } from "@triphub/platform";

/** Everything the registry reads from its environment, with the defaults `npm start` uses. */
export const registryConfigSpec = {
  // PORT, HOST, LOG_LEVEL, TLS and registration, the same for every service (its port in the
  // devstack is packages/devstack/src/services.ts's).
  ...serviceConfigSpec(7106),
  // Its own database; the devstack sets it. Several registry instances may share it.
  DATABASE_URL: env.url(undefined, ["postgres", "postgresql"]),
  /** Where service tokens (the only callers the registry answers) are verified. */
  AUTH_JWKS_URL: env.url("http://127.0.0.1:7101/.well-known/jwks.json", ["http", "https"]),
  AUTH_ISSUER: env.string("triphub-auth"),
  AUTH_AUDIENCE: env.string("triphub"),
  /** How often leases are checked: the longest a lapsed lease stays in rotation. */
  REGISTRY_SWEEP_MS: env.int({ default: 1_000, min: 50, max: 60_000 }),
  /** How long an instance whose lease lapsed stays listed (unhealthy) before it is forgotten. */
  REGISTRY_REMOVE_AFTER_MS: env.int({ default: 60_000, min: 0, max: 3_600_000 }),
  /** How often each instance's grpc.health.v1 is probed. */
  REGISTRY_PROBE_INTERVAL_MS: env.int({ default: 5_000, min: 100, max: 300_000 }),
  /** How long a probe waits for an answer. */
  REGISTRY_PROBE_TIMEOUT_MS: env.int({ default: 2_000, min: 50, max: 60_000 }),
  /** Failed probes in a row that take an instance out of rotation. */
  REGISTRY_PROBE_FAILURES: env.int({ default: 3, min: 1, max: 100 }),
  /** How often a watch re-reads without a notification. */
  REGISTRY_POLL_MS: env.int({ default: 5_000, min: 50, max: 30_000 }),
};

/** The registry's configuration. */
export type RegistryConfig = ReturnType<typeof loadRegistryConfig>;

/** Reads the configuration; throws a ConfigError naming every bad variable. */
export const loadRegistryConfig = (source: Record<string, string | undefined>) => loadConfig(registryConfigSpec, source);
