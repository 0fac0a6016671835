export type { ServerSource, StartedServer } from "./started-server.js";
/** Starts the PostgreSQL server of a test run (environment, container or embedded). */
export { startPostgres, type StartPostgresOptions } from "./postgres.js";
/** Starts the Redis server of a test run; `ensureRedisServer` installs `redis-server` if needed. */
export { ensureRedisServer, startRedis } from "./redis.js";
/** Per-test-file databases cloned from a migrated template, and the run's server URLs. */
export { databaseUrl, freshDatabase, redisUrl, serverUrl, templateName } from "./database.js";
export type { FreshDatabaseOptions } from "./database.js";
/** One Redis command over a fresh connection, for probes and fixtures without a client. */
export { redisCommand } from "./redis-command.js";
export type { RespValue } from "./redis-command.js";
/** Serves a built service on loopback and hands out typed gRPC clients. */
export { type RunningService, serve } from "./service-harness.js";
/** What a promise rejects with, of an expected error class (test assertions). */
export { rejectionOf } from "./rejection.js";
/** Client secrets and token sources for the services of a test platform. */
export { type TestServiceIdentities, testServiceIdentities } from "./service-identities.js";
/** A PostgreSQL server of a test's own that it may SIGKILL and start again (outage tests). */
export { type KillablePostgres, startKillablePostgres } from "./killable-postgres.js";
/** A Redis server of a test's own that it may kill, stall and start again (outage tests). */
export { type KillableRedis, startKillableRedis } from "./killable-redis.js";
/** A clock tests move by hand, shared by every service of a test platform. */
export { type RunningClock, runningClock, type TestClock, testClock } from "./test-clock.js";

/** A loopback port nothing listens on, for a service a test starts (or restarts) at a known address. */
export { freePort } from "./free-port.js";

export { eventually } from "./eventually.js";
/** Throwaway CAs and service certificates for TLS and mTLS tests (the system's openssl). */
export { createTestPki, serviceCertExt, type TestPki } from "./test-pki.js";
/** Fresh DATA_KEKS and BLIND_INDEX_KEY values for a service that seals personal data. */
export { testSealingKeys } from "./sealing-keys.js";
/** Reads a service's /metrics page (Prometheus text format) for assertions. */
export { type MetricSample, type MetricsPage, parseMetrics, scrapeMetrics } from "./metrics-text.js";
/** An OTLP/HTTP (JSON) trace receiver on loopback: where a test's services export spans. */
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "./otlp-receiver.js";
