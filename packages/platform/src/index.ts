/**
 * The TripHub service chassis. `createService()` builds a service process; the rest are the
 * shared pieces every service uses the same way.
 */
export { accessLogInterceptor } from "./access-log.js";
export {
  authInterceptor,
  createTokenVerifier,
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
export {
  CLIENT_IP_HEADER,
  callerPolicyInterceptor,
  callerServiceKey,
  GATEWAY_SERVICE,
  internalRoleInterceptor,
  isInternal,
} from "./caller-policy.js";
/** Central configuration: a service follows its settings from the config server and applies them live. */
export {
  CONFIG_SERVICE,
  type ConfigSource,
  type LiveConfig,
  type LiveConfigOptions,
  type SettingsApplier,
  startLiveConfig,
} from "./live-config/live-config.js";
export { type LiveConfigEnv, liveConfigFromEnv } from "./live-config/live-config-from-env.js";
/** The local file a service keeps its last applied configuration in. */
export { type CachedConfig, type ConfigCache, createConfigCache } from "./live-config/config-cache.js";
/** Settings schemas (one protobuf message per service) and how config values are checked against them. */
export { configurableServices, settingsSchemaOf } from "./live-config/settings-schemas.js";
export { parseSettings, type SettingsResult, valueField } from "./live-config/settings-values.js";
export { peerServiceKey, peerServiceOf, SERVICE_URI_PREFIX } from "./peer-identity.js";
export {
  clientSecretMatches,
  createServiceTokenSource,
  createServiceTokenVerifier,
  formatServiceClients,
  hashClientSecret,
  remoteKeys,
  SERVICE_NAME,
  SERVICE_NAMES,
  SERVICE_TOKEN_HEADER,
  type ServiceCredentials,
  type ServiceTokenSource,
  type ServiceTokenVerifier,
  type ServiceTokenVerifierOptions,
  serviceTokenInterceptor,
} from "./service-token.js";
export { type Cache, type CacheCodec, type CacheOptions, createCache } from "./cache.js";
/** The shared list of ended sessions in Redis: auth writes it, the gateway reads it. */
export { connectRevokedSessions, type RevokedSessions, type RevokedSessionsOptions } from "./revoked-sessions.js";
/** A bounded in-process map with per-entry time to live that forgets the least recently used first. */
export { createLru, type Lru } from "./lru.js";
/** A background job on a timer that never overlaps itself (sweepers, purgers). */
export { createPeriodicJob, type PeriodicJob } from "./periodic-job.js";
export { createServiceClient, type ResolvedTarget, type ServiceClientOptions, serviceTransport } from "./clients.js";
/** Which instances of a service exist: fixed addresses, the registry, or a cluster's DNS. */
export { type InstanceResolver, type ServiceInstance, staticResolver } from "./discovery/instance-resolver.js";
/** The client-side balancer: calls spread over a service's instances, ejection of failing ones, safe retries. */
export { type BalancedTransport, type BalancedTransportOptions, createBalancedTransport } from "./discovery/balanced-transport.js";
export type { InstanceTransport, InstanceTransportFactory } from "./discovery/instance-pool.js";
export type { EjectionOptions } from "./discovery/outlier-ejection.js";
export type { PickPolicy } from "./discovery/pick-policy.js";
/** Which calls may run again on another instance: reads, and writes carrying their idempotency key. */
export { mayRepeat, type RetryClass, retryClassOf } from "./discovery/retry-safety.js";
/** The registry's side of discovery: an instance keeps itself registered; clients resolve through WatchInstances. */
export { REGISTRY_SERVICE, type Registration, type RegistrationOptions, startRegistration } from "./discovery/registration.js";
export {
  type HostRegistrationOptions,
  type RegistrationEnv,
  registeredHost,
  registeredHostFromEnv,
} from "./discovery/registered-host.js";
export { type RegistryResolverOptions, registryResolver, toServiceInstance } from "./discovery/registry-resolver.js";
/** Addresses as operators write them (URLs, registry:///, dns:///) and the process's resolvers behind them. */
export { InvalidServiceAddress, parseServiceAddress, SERVICE_ADDRESS_FORMS, type ServiceAddress } from "./discovery/service-address.js";
export { type DiscoveryEnv, discoveryFromEnv, targetOf, useRegistryResolver } from "./discovery/process-discovery.js";
export { type DnsResolverOptions, dnsResolver } from "./discovery/dns-resolver.js";
export { type ClientTls, clientTls, clientTlsFor, setClientTls } from "./client-tls.js";
export { type ClientFetch, clientFetch, createClientFetch } from "./client-fetch.js";
export { type ConfigOf, ConfigError, type EnvVar, env, InvalidValue, loadConfig } from "./config.js";
export { type Database, type DatabaseOptions, migrateExclusively, openDatabase, withConnection } from "./database.js";
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
/**
 * Prometheus metrics: the process registry every chassis-built service serves at /metrics, and
 * the helpers a service uses to add its own (counters where a thing happens, gauges read at
 * scrape time). Names follow Prometheus's conventions (`triphub_` prefix, unit suffix, `_total`
 * for counters); labels take a few known values, never ids.
 */
export {
  type GaugeSample,
  type GaugeSource,
  LATENCY_BUCKETS,
  type MetricSpec,
  metricCounter,
  metricGauge,
  metricHistogram,
  metricsRegistry,
  observeGauge,
} from "./metrics/registry.js";
export { isPrivateAddress, type MetricsAccess } from "./metrics/metrics-endpoint.js";
export { createLogger, ECS_VERSION, type Logger, type LoggerOptions, REDACTED_PATHS } from "./logger.js";
export { type RequestInfo, requestIdFrom, requestInfo, requestInfoKey } from "./request-context.js";
export {
  closeOnSignals,
  MIGRATE_ONLY_VARIABLE,
  type RunRebuildOptions,
  runRebuild,
  type RunServiceOptions,
  runService,
  type ServiceProcessConfig,
  type ServiceProcessDeps,
} from "./run.js";
export { type Clock, systemClock } from "./clock.js";
export { type EnumMapping, enumMapping } from "./enum-mapping.js";
/** Helpers every store uses the same way: timestamps in raw SQL, constraint violations, batched housekeeping. */
export { drainInBatches, isCheckViolation, isUniqueViolation, timestamptz } from "./store-helpers.js";
export { isUuid, uuidFromName } from "./ids.js";
export { countryOfLocale } from "./locale.js";
export { type Rand, seededRandom } from "./seeded-random.js";
export { liveConfigSpec, loadTls, registrationSpec, serviceConfigSpec, serviceIdentityConfigSpec } from "./service-config.js";
export { configOrExit } from "./startup.js";
export { createService, LIVENESS_PATH, READINESS_PATH, type ServiceHost, type ServiceOptions } from "./service-host.js";
/** Fastify's types for a service's plain HTTP routes (`ServiceOptions.httpRoutes`). */
export type { FastifyInstance, FastifyReply } from "fastify";
export { markUnchanging } from "./unchanging-responses.js";
/** Personal data at rest: envelope encryption with blind indexes, and the re-encrypt job (also `@triphub/platform/sealing`). */
export {
  blindIndexKey,
  createReencryptJob,
  dataKeks,
  dataKeysTable,
  type KeyEncryptionKey,
  type KeyEncryptionKeys,
  openSealer,
  type ReencryptJob,
  type ReencryptJobOptions,
  type ReencryptStep,
  type SealContext,
  SealedValueError,
  type Sealer,
  type SealerOptions,
  sealingConfigSpec,
} from "./sealing/index.js";
/** OpenTelemetry tracing: off unless the standard `OTEL_*` variables ask for it (see startTracing). */
export { isTracing, type StartTracingOptions, startTracing, type Tracing, tracingRequested } from "./tracing/tracing-setup.js";
export { tracingOrExit } from "./tracing/process-tracing.js";
export { samplerFrom } from "./tracing/sampler.js";
export { activeTraceparent, type InSpanOptions, inSpan, linkTo, SpanKind, traceLogFields } from "./tracing/spans.js";
export { nameRequestSpan, requestTraceFields } from "./tracing/server-spans.js";
export { tracedTransport } from "./tracing/client-spans.js";
