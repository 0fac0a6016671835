// The one place that says what the service reads from its environment. main.ts reads it once
// (through runService) and fails at start naming every bad variable; nothing else reads
// process.env. Add a variable here with its default for `npm start`, then pass the value down.
import { dataKeks, env, loadConfig, sealingConfigSpec, serviceConfigSpec, serviceIdentityConfigSpec } from "@triphub/platform";

/** Everything the service reads from its environment, with the defaults `npm start` uses. */
export const reservationConfigSpec = {
  // PORT, HOST, LOG_LEVEL, TLS, the same for every service. The port is the service's own in
  // the devstack (packages/devstack/src/services.ts).
  ...serviceConfigSpec(7104),
  // Its service identity: the saga calls accommodation's and payment's internal RPCs.
  ...serviceIdentityConfigSpec,
  // Its own database; the devstack sets it (one database per service, nobody else reads it).
  DATABASE_URL: env.url(undefined, ["postgres", "postgresql"]),
  /** Where access tokens are verified: the auth service's JWKS. */
  AUTH_JWKS_URL: env.url("http://127.0.0.1:7101/.well-known/jwks.json", ["http", "https"]),
  AUTH_ISSUER: env.string("triphub-auth"),
  AUTH_AUDIENCE: env.string("triphub"),
  /**
   * The guest's contact and card token are sealed at rest with data keys wrapped by these
   * key-encryption keys (required). No lookup goes by a sealed value, so no BLIND_INDEX_KEY.
   */
  DATA_KEKS: dataKeks,
  /** Age at which the re-encrypt job replaces the data key and re-seals everything (0: never). */
  DATA_KEY_MAX_AGE_DAYS: sealingConfigSpec.DATA_KEY_MAX_AGE_DAYS,
  /** The services the saga calls (gRPC): a URL, or the URLs of several instances separated by commas. */
  ACCOMMODATION_URL: env.serviceUrl("http://127.0.0.1:7102"),
  PAYMENT_URL: env.serviceUrl("http://127.0.0.1:7103"),
  /**
   * How long a booking may take to book before it fails TIMED_OUT (a dependency down or slow);
   * compensations are retried past it until they succeed.
   */
  SAGA_DEADLINE_SECONDS: env.int({ default: 60, min: 1, max: 3600 }),
  /** How long CreateReservation waits for the saga before answering with the reservation in progress. */
  CREATE_WAIT_MS: env.int({ default: 5000, min: 0, max: 30_000 }),
  /** How often confirmed stays whose check-out passed are completed. */
  STAY_COMPLETION_INTERVAL_MS: env.int({ default: 60_000, min: 100, max: 3_600_000 }),
  /**
   * How long a process owns a saga it drives without renewing the lease: the sagas of a process
   * that died wait this long before another process carries them on. Keep it well above the
   * 5 s call timeout: a lease that lapses during a slow call lets a second process drive the
   * saga too (its calls are idempotent and its records checked against the log, but made twice).
   */
  SAGA_LEASE_MS: env.int({ default: 15_000, min: 100, max: 600_000 }),
  /** How often due sagas (a dead process's, backed-off ones) are looked for. */
  SAGA_RESUME_EVERY_MS: env.int({ default: 1_000, min: 10, max: 600_000 }),
  /**
   * Fault injection for the crash tests, unset in every real deployment (src/store/crash-point.ts):
   * the process kills itself (SIGKILL) right after it has committed an event of this type, e.g.
   * "RoomsHeld"...
   */
  RESERVATION_CRASH_AFTER: env.optionalString(),
  /** ...or right before it records a command of this type, e.g. "RecordHold" (the step's answer is lost). */
  RESERVATION_CRASH_BEFORE: env.optionalString(),
};

/** The service's configuration. */
export type ReservationConfig = ReturnType<typeof loadReservationConfig>;

/** Reads the configuration; throws a ConfigError naming every bad variable. */
export const loadReservationConfig = (source: Record<string, string | undefined>) => loadConfig(reservationConfigSpec, source);
