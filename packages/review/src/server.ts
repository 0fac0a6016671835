// Wires the database, the clients and the RPCs into the chassis. It never listens by itself:
// main.ts (through runService) and the tests build it the same way and decide where it serves.
import { fileURLToPath } from "node:url";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
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
import { createDirectory, type Directory } from "./clients.js";
import type { ReviewConfig } from "./config.js";
import { encodeReviewEvent, eventTypes } from "./proto-mapping/events.js";
import { createReviewService } from "./service.js";
import type { ReviewDb } from "./store/db.js";
import { createReviewStore, EVENT_LOG } from "./store/review-store.js";

/** Where drizzle-kit writes the migrations; the chassis applies them at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** What {@link buildServer} needs; tests build it the same way main.ts does. */
export interface ReviewServerDeps {
  config: Pick<
    ReviewConfig,
    "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE" | "AUTH_TOKEN_URL" | "SERVICE_CLIENT_SECRET" | "RESERVATION_URL" | "AUTH_URL"
  >;
  /** Opened and migrated by the chassis (or the test); the chassis closes it last. */
  database: Database;
  log: Logger;
  /** The clock RPCs and token checks use (default: the system clock); tests pass testkit's. */
  now?: Clock;
  /** Verifies access tokens; by default against the auth service's JWKS at AUTH_JWKS_URL. */
  verifyToken?: TokenVerifier;
  tls?: TlsOptions;
  /** What review asks reservation and auth (default: over gRPC with the service identity). */
  directory?: Directory;
}

/** Builds the service process (never listens by itself). */
export async function buildServer(deps: ReviewServerDeps): Promise<ServiceHost> {
  const { config, database, log } = deps;
  const now = deps.now ?? systemClock;
  const db = database.db as ReviewDb;
  const feed = createEventFeed({ sql: database.sql, log, channel: EVENT_LOG.channel });
  const impl = createReviewService({
    db,
    reviews: createReviewStore(db, encodeReviewEvent),
    directory: deps.directory ?? createDirectory(config, now),
    events: createEventStore(db, EVENT_LOG),
    feed,
    now,
  });
  return createService({
    name: "review",
    serviceNames: [ReviewService.typeName],
    log,
    tls: deps.tls,
    routes: (router) => router.service(ReviewService, impl),
    eventFeed: feed,
    jsonRegistry: eventTypes,
    // Users' access tokens (requireIdentity) and other services' tokens issued for "review",
    // which let the services the proto's `callers` options name call StreamEvents.
    tokens: { keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    now,
    verifyToken: deps.verifyToken,
    database,
  });
}
