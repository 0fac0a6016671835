/**
 * The TripHub service chassis. `createService()` builds a service process; the rest are the
 * shared pieces every service uses the same way.
 */
export { accessLogInterceptor } from "./access-log.js";
export {
  authInterceptor,
  createTokenVerifier,
  hasRole,
  type Identity,
  identityKey,
  localKeys,
  requireIdentity,
  requireRole,
  tokenError,
  type TokenVerifier,
  type TokenVerifierOptions,
} from "./auth.js";
export { callSignal, outsideCall } from "./call-scope.js";
export { type Cache, type CacheCodec, type CacheOptions, createCache } from "./cache.js";
/** A bounded in-process map with per-entry time to live that forgets the least recently used first. */
export { createLru, type Lru } from "./lru.js";
/** A background job on a timer that never overlaps itself (sweepers, purgers). */
export { createPeriodicJob, type PeriodicJob } from "./periodic-job.js";
export { createServiceClient, type ServiceClientOptions } from "./clients.js";
export { type ConfigOf, ConfigError, type EnvVar, env, loadConfig } from "./config.js";
export { type Database, type DatabaseOptions, migrateExclusively, openDatabase } from "./database.js";
export {
  DomainError,
  type DomainErrorKind,
  type FieldViolation,
  invalid,
  notFound,
} from "./domain-error.js";
export { dualProtocolServerFactory, type TlsOptions } from "./dual-protocol-server.js";
export {
  badRequestDetail,
  ERROR_DOMAIN,
  errorInterceptor,
  isServerFault,
  loggableError,
  toConnectError,
  withBadRequest,
} from "./errors.js";
export { createHealthState, type HealthState, healthService, ServingStatus } from "./health.js";
export { createLogger, type Logger, type LoggerOptions, REDACTED_PATHS } from "./logger.js";
export { type RequestInfo, requestIdFrom, requestInfo, requestInfoKey } from "./request-context.js";
export { closeOnSignals } from "./run.js";
export { loadTls, serviceConfigSpec } from "./service-config.js";
export { configOrExit } from "./startup.js";
export { createService, type ServiceHost, type ServiceOptions } from "./service-host.js";
export { markUnchanging } from "./unchanging-responses.js";
