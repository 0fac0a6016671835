import { fileURLToPath } from "node:url";
import { AccommodationSettingsSchema } from "@triphub/contracts/triphub/config/v1/settings_pb";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import {
  type Clock,
  createCache,
  createService,
  type Database,
  type LiveConfig,
  type Logger,
  type ServiceHost,
  systemClock,
  type TlsOptions,
  type TokenVerifier,
} from "@triphub/platform";
import type { ConsumeEventsOptions } from "@triphub/platform/events";
import { reviewEventStream } from "./clients.js";
import type { AccommodationConfig } from "./config.js";
import { createEventFeed } from "./store/event-feed.js";
import { observeLapsedHolds } from "./hold-metrics.js";
import { createHoldSweeper } from "./jobs/hold-sweeper.js";
import { consumeRatingStatistics } from "./jobs/rating-statistics.js";
import { forgetProperties, withReadCache } from "./rpcs/read-cache.js";
import { createRequestIdPurger } from "./jobs/request-id-purger.js";
import { eventTypes } from "./rpcs/event-rpcs.js";
import { createAccommodationService } from "./service.js";
import { createCalendarStore } from "./store/calendar-store.js";
import type { AccommodationDb } from "./store/db.js";
import { createEventStore } from "./store/event-store.js";
import { createHoldStore } from "./store/hold-store.js";
import { createPropertyStore } from "./store/property-store.js";
import { createRoomTypeStore } from "./store/room-type-store.js";
import { createSearchStore } from "./store/search/index.js";

/** Where drizzle-kit writes the accommodation migrations; applied at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** What {@link buildServer} needs; tests build it the same way main.ts does. */
export interface AccommodationServerDeps {
  config: Pick<AccommodationConfig, "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE"> &
    Partial<Pick<AccommodationConfig, "HOLD_SWEEP_INTERVAL_MS" | "REDIS_URL" | "REVIEW_URL" | "AUTH_TOKEN_URL" | "SERVICE_CLIENT_SECRET">>;
  database: Database;
  log: Logger;
  /** The clock "today", hold expiry and token checks use (default: the system clock). */
  now?: Clock;
  /** Verifies access tokens; by default against the auth service's JWKS at AUTH_JWKS_URL. */
  verifyToken?: TokenVerifier;
  tls?: TlsOptions;
  /**
   * Review's event stream, for the rating consumer; by default review's StreamEvents at
   * REVIEW_URL. Neither: no consumer runs.
   */
  reviewEvents?: ConsumeEventsOptions["open"];
  /** The central configuration (CONFIG_URL), applied live by the chassis (runService passes it). */
  liveConfig?: LiveConfig;
}

/** Builds the accommodation service process (never listens by itself); the hold sweeper runs until close. */
export async function buildServer(deps: AccommodationServerDeps): Promise<ServiceHost> {
  const { config, database, log } = deps;
  const now = deps.now ?? systemClock;
  const db = database.db as AccommodationDb;
  const holds = createHoldStore(db);
  const cache = await createCache({ name: "accommodation", redisUrl: config.REDIS_URL, log, groups: ["search:"] });
  const feed = createEventFeed({ sql: database.sql, log });
  const service = createAccommodationService({
    properties: createPropertyStore(db),
    roomTypes: createRoomTypeStore(db),
    calendars: createCalendarStore(db),
    holds,
    search: createSearchStore(db),
    events: createEventStore(db),
    feed,
    now,
  });
  // The live setting, read at each search: a change applies to the next one.
  const searchTtlSeconds = () => deps.liveConfig?.settings(AccommodationSettingsSchema).searchCacheTtlSeconds;
  const impl = withReadCache(service, cache, {
    searchTtlMs: () => {
      const seconds = searchTtlSeconds();
      return seconds === undefined ? undefined : seconds * 1000;
    },
  });
  const sweeper = createHoldSweeper({ holds, now, log, intervalMs: config.HOLD_SWEEP_INTERVAL_MS ?? 5_000,
    onExpired: (expired) => forgetProperties(cache, expired.map((h) => h.propertyId)),
  });
  const stopLapsedMetric = observeLapsedHolds(() => holds.oldestLapsedSeconds(now()));
  const purger = createRequestIdPurger({ db, now, log, intervalMs: 10 * 60_000 });
  const reviewEvents =
    deps.reviewEvents ??
    (config.REVIEW_URL ? reviewEventStream({ ...config, REVIEW_URL: config.REVIEW_URL }, now) : undefined);
  const host = await createService({
    name: "accommodation",
    liveConfig: deps.liveConfig,
    serviceNames: [AccommodationService.typeName],
    log,
    tls: deps.tls,
    routes: (router) => router.service(AccommodationService, impl),
    eventFeed: feed,
    jsonRegistry: eventTypes,
    tokens: { keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    now,
    verifyToken: deps.verifyToken,
    database,
    onClose: async () => {
      await ratings?.stop();
      await sweeper.stop();
      stopLapsedMetric();
      await purger.stop();
      await cache.close();
    },
  });
  sweeper.start();
  purger.start();
  // Started once the service is built, so a failed build leaves no stream behind.
  const ratings = reviewEvents && consumeRatingStatistics({ db, open: reviewEvents, log, onApplied: (ids) => forgetProperties(cache, ids) });
  return host;
}
