// Wires the database, the LISTEN feed, the sweeper, the prober and the RPCs into the chassis. It
// never listens by itself: main.ts (through runService) and the tests build it the same way.
import { fileURLToPath } from "node:url";
import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
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
import { createEventFeed } from "@triphub/platform/events";
import type { RegistryConfig } from "./config.js";
import { createHealthProber } from "./jobs/health-prober.js";
import { createLeaseSweeper } from "./jobs/lease-sweeper.js";
import { createRegistryService } from "./service.js";
import type { RegistryDb } from "./store/db.js";
import { createInstanceStore, REGISTRY_CHANNEL } from "./store/instance-store.js";

/** Where drizzle-kit writes the migrations; the chassis applies them at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** The registry's service identity (its client id with auth, and the audience of tokens sent to it). */
export const REGISTRY_SERVICE_NAME = "registry";

type Tuning = Pick<
  RegistryConfig,
  "REGISTRY_SWEEP_MS" | "REGISTRY_REMOVE_AFTER_MS" | "REGISTRY_PROBE_INTERVAL_MS" | "REGISTRY_PROBE_TIMEOUT_MS" | "REGISTRY_PROBE_FAILURES" | "REGISTRY_POLL_MS"
>;

/** What {@link buildServer} needs; tests build it the same way main.ts does. */
export interface RegistryServerDeps {
  config: Pick<RegistryConfig, "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE"> & Partial<Tuning>;
  /** Opened and migrated by the chassis (or the test); the chassis closes it last. */
  database: Database;
  log: Logger;
  now?: Clock;
  /** Verifies users' access tokens (which the registry refuses anyway); default: auth's JWKS. */
  verifyToken?: TokenVerifier;
  tls?: TlsOptions;
}

/** Builds the registry process (never listens by itself). */
export async function buildServer(deps: RegistryServerDeps): Promise<ServiceHost> {
  const { config, database, log } = deps;
  const now = deps.now ?? systemClock;
  const store = createInstanceStore(database.db as RegistryDb);
  // One LISTEN per process: a change through any registry on the same database wakes the
  // watchers of every one.
  const feed = createEventFeed({ sql: database.sql, log, channel: REGISTRY_CHANNEL });
  const sweeper = createLeaseSweeper({ store, now, log, intervalMs: config.REGISTRY_SWEEP_MS ?? 1_000, removeAfterMs: config.REGISTRY_REMOVE_AFTER_MS ?? 60_000 });
  const prober = createHealthProber({
    store,
    now,
    log,
    intervalMs: config.REGISTRY_PROBE_INTERVAL_MS ?? 5_000,
    timeoutMs: config.REGISTRY_PROBE_TIMEOUT_MS ?? 2_000,
    failuresToEject: config.REGISTRY_PROBE_FAILURES ?? 3,
  });
  const host = await createService({
    name: REGISTRY_SERVICE_NAME,
    serviceNames: [RegistryService.typeName],
    log,
    tls: deps.tls,
    routes: (router) => router.service(RegistryService, createRegistryService({ store, feed, pollMs: config.REGISTRY_POLL_MS, now })),
    tokens: { keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    now,
    verifyToken: deps.verifyToken,
    database,
    onClose: async () => {
      await sweeper.stop();
      await prober.stop();
      await feed.close();
    },
  });
  // Watch streams end as shutdown begins (clients reconnect to another registry); otherwise
  // draining would wait for them.
  host.app.addHook("preClose", async () => {
    await feed.close();
  });
  sweeper.start();
  prober.start();
  return host;
}
