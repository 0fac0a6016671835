// Wires the database, provider, jobs and RPCs into the chassis. It never listens by itself:
// main.ts (through runService) and the tests build it the same way and decide where it serves.
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import {
  type Clock,
  createService,
  type Database,
  type Logger,
  type ServiceHost,
  systemClock,
  type TlsOptions,
  type TokenVerifier,
} from "@triphub/platform";
import { createEventFeed, createEventStore } from "@triphub/platform/events";
import type { PaymentConfig } from "./config.js";
import type { PaymentProvider } from "./domain/provider.js";
import { createSandboxProvider } from "./domain/sandbox-provider.js";
import { withProviderMetrics } from "./provider-metrics.js";
import { createAuthorizationExpirer } from "./jobs/authorization-expirer.js";
import { createPaymentOperations } from "./payment-operations.js";
import { eventTypes } from "./rpcs/event-rpcs.js";
import { createPaymentService } from "./service.js";
import { createAuthorizationKeys } from "./store/authorization-keys.js";
import { createCaptureIntents } from "./store/capture-intents.js";
import type { PaymentDb } from "./store/db.js";
import { createPaymentStore, EVENT_LOG } from "./store/payment-store.js";

/** Where drizzle-kit writes the migrations; the chassis applies them at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** What {@link buildServer} needs; tests build it the same way main.ts does. */
export interface PaymentServerDeps {
  config: Pick<PaymentConfig, "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE"> &
    Partial<Pick<PaymentConfig, "AUTHORIZATION_VALIDITY_MS" | "AUTHORIZATION_EXPIRY_INTERVAL_MS" | "PAYMENT_CRASH_AFTER_PROVIDER_CAPTURE">>;
  /** Opened and migrated by the chassis (or the test); the chassis closes it last. */
  database: Database;
  log: Logger;
  /** The clock RPCs, authorization expiry and token checks use (default: the system clock); tests pass testkit's. */
  now?: Clock;
  /** Verifies access tokens; by default against the auth service's JWKS at AUTH_JWKS_URL. */
  verifyToken?: TokenVerifier;
  tls?: TlsOptions;
  /** The card payment provider (default: the built-in sandbox of payment_service.proto's tokens). */
  provider?: PaymentProvider;
}

/** Builds the service process (never listens by itself); the authorization expirer runs until close. */
export async function buildServer(deps: PaymentServerDeps): Promise<ServiceHost> {
  const { config, database, log } = deps;
  const now = deps.now ?? systemClock;
  const db = database.db as PaymentDb;
  const payments = createPaymentStore(db);
  const operations = createPaymentOperations({
    payments,
    keys: createAuthorizationKeys(db),
    intents: createCaptureIntents(db),
    provider: withProviderMetrics(deps.provider ?? createSandboxProvider(randomUUID)),
    now,
    authorizationValidityMs: config.AUTHORIZATION_VALIDITY_MS,
    crashAfterProviderCapture: config.PAYMENT_CRASH_AFTER_PROVIDER_CAPTURE,
  });
  const feed = createEventFeed({ sql: database.sql, log, channel: EVENT_LOG.channel });
  const impl = createPaymentService({ payments, operations, events: createEventStore(db, EVENT_LOG), feed });
  const expirer = createAuthorizationExpirer({
    payments,
    operations,
    now,
    log,
    intervalMs: config.AUTHORIZATION_EXPIRY_INTERVAL_MS ?? 60_000,
  });
  const host = await createService({
    name: "payment",
    serviceNames: [PaymentService.typeName],
    log,
    tls: deps.tls,
    routes: (router) => router.service(PaymentService, impl),
    eventFeed: feed,
    jsonRegistry: eventTypes,
    // Users' access tokens (requireIdentity) and other services' tokens issued for "payment",
    // which let the services the proto's `callers` options name call the internal RPCs.
    tokens: { keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    now,
    verifyToken: deps.verifyToken,
    database,
    onClose: () => expirer.stop(),
  });
  expirer.start();
  return host;
}
