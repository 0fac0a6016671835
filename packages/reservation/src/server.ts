// Wires the database, the saga and the RPCs into the chassis. It never listens by itself:
// main.ts (through runService) and the tests build it the same way and decide where it serves.
import { fileURLToPath } from "node:url";
import { ReservationSettingsSchema } from "@triphub/contracts/triphub/config/v1/settings_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import {
  type Clock,
  createService,
  type Database,
  type LiveConfig,
  type Logger,
  createReencryptJob,
  openSealer,
  type ServiceHost,
  systemClock,
  type TlsOptions,
  type TokenVerifier,
} from "@triphub/platform";
import { createEventFeed, createEventStore } from "@triphub/platform/events";
import { createSagaClients } from "./clients.js";
import type { ReservationConfig } from "./config.js";
import { createStayCompleter } from "./jobs/stay-completer.js";
import { observeSagaBacklog } from "./saga/saga-metrics.js";
import { createSagaRunner, type SagaTimings } from "./saga/saga-runner.js";
import { createReservationService } from "./service.js";
import type { ReservationDb } from "./store/db.js";
import { withCrashPoints } from "./store/crash-point.js";
import { reservationEventTypes } from "./proto-mapping/events.js";
import { createReservationStore, RESERVATION_LOG } from "./store/reservation-store.js";
import { resealSteps } from "./store/reseal.js";
import { createSagaWorkStore } from "./store/saga-work-store.js";

/** Where drizzle-kit writes the migrations; the chassis applies them at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** What {@link buildServer} needs; tests build it the same way main.ts does. */
export interface ReservationServerDeps {
  config: Pick<
    ReservationConfig,
    "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE" | "AUTH_TOKEN_URL" | "SERVICE_CLIENT_SECRET" | "ACCOMMODATION_URL" | "PAYMENT_URL" | "DATA_KEKS"
  > &
    Partial<
      Pick<
        ReservationConfig,
        "SAGA_DEADLINE_SECONDS" | "DATA_KEY_MAX_AGE_DAYS" | "CREATE_WAIT_MS" | "STAY_COMPLETION_INTERVAL_MS" | "SAGA_LEASE_MS" | "SAGA_RESUME_EVERY_MS" | "RESERVATION_CRASH_AFTER" | "RESERVATION_CRASH_BEFORE"
      >
    >;
  /** Opened and migrated by the chassis (or the test); the chassis closes it last. */
  database: Database;
  log: Logger;
  /** The clock of the bookings: deadlines, cancellation windows, stays ending (default: the system clock). */
  now?: Clock;
  /** Verifies access tokens; by default against the auth service's JWKS at AUTH_JWKS_URL. */
  verifyToken?: TokenVerifier;
  tls?: TlsOptions;
  /** Saga timings other than the deadline; over SAGA_LEASE_MS and SAGA_RESUME_EVERY_MS (tests shorten the lease). */
  sagaTimings?: Partial<SagaTimings>;
  /** The central configuration (CONFIG_URL): the length of holds (`hold_ttl_seconds`), read at each booking. */
  liveConfig?: LiveConfig;
}

/** Builds the service process (never listens by itself); the saga resumer and the stay completer run until close. */
export async function buildServer(deps: ReservationServerDeps): Promise<ServiceHost> {
  const { config, database, log } = deps;
  const now = deps.now ?? systemClock;
  const db = database.db as ReservationDb;
  const sealer = await openSealer(db, { keks: config.DATA_KEKS, log, now });
  const reencrypt = createReencryptJob({
    sealer,
    steps: resealSteps(db, sealer),
    log,
    now,
    maxKeyAgeMs: (config.DATA_KEY_MAX_AGE_DAYS ?? 90) * 86_400_000,
  });
  // Records stored in clear before sealing began are sealed now. They read as they are until
  // then, so a record that does not open (logged) keeps only itself from being served.
  await reencrypt.runOnce().catch((err: unknown) => log.error({ err }, "re-encrypt failed"));
  const store = withCrashPoints(createReservationStore(db, sealer), { after: config.RESERVATION_CRASH_AFTER, before: config.RESERVATION_CRASH_BEFORE });
  const work = createSagaWorkStore(db);
  const runner = createSagaRunner({
    store,
    work,
    clients: createSagaClients(config, now),
    now,
    log,
    settings: { holdTtlSeconds: () => deps.liveConfig?.settings(ReservationSettingsSchema).holdTtlSeconds },
    timings: {
      deadlineMs: (config.SAGA_DEADLINE_SECONDS ?? 60) * 1000,
      ...(config.SAGA_LEASE_MS !== undefined && { leaseMs: config.SAGA_LEASE_MS }),
      ...(config.SAGA_RESUME_EVERY_MS !== undefined && { resumeEveryMs: config.SAGA_RESUME_EVERY_MS }),
      ...deps.sagaTimings,
    },
  });
  const completer = createStayCompleter({ store, now, log, intervalMs: config.STAY_COMPLETION_INTERVAL_MS ?? 60_000 });
  const feed = createEventFeed({ sql: database.sql, log, channel: RESERVATION_LOG.channel });
  const impl = createReservationService({
    db,
    sealer,
    store,
    runner,
    events: createEventStore(db, RESERVATION_LOG),
    feed,
    now,
    waitMs: config.CREATE_WAIT_MS ?? 5_000,
  });
  const stopBacklogMetrics = observeSagaBacklog(() => work.backlog());
  const host = await createService({
    name: "reservation",
    liveConfig: deps.liveConfig,
    serviceNames: [ReservationService.typeName],
    log,
    tls: deps.tls,
    routes: (router) => router.service(ReservationService, impl),
    eventFeed: feed,
    jsonRegistry: reservationEventTypes,
    tokens: { keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    now,
    verifyToken: deps.verifyToken,
    database,
    onClose: async () => {
      stopBacklogMetrics();
      await completer.stop();
      await reencrypt.stop();
      await runner.close();
    },
  });
  runner.startResuming();
  completer.start();
  reencrypt.start();
  return host;
}
