// Wires the database, jobs and RPCs into the chassis. It never listens by itself: main.ts (through
// runService) and the tests build it the same way and decide where it serves. Add a store or a
// job here, never in main.ts.
import { fileURLToPath } from "node:url";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
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
import type { ReservationConfig } from "./config.js";
import { createReservationService } from "./service.js";
import type { ReservationDb } from "./store/db.js";

/** Where drizzle-kit writes the migrations; the chassis applies them at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** What {@link buildServer} needs; tests build it the same way main.ts does. */
export interface ReservationServerDeps {
  config: Pick<ReservationConfig, "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE">;
  /** Opened and migrated by the chassis (or the test); the chassis closes it last. */
  database: Database;
  log: Logger;
  /** The clock RPCs and token checks use (default: the system clock); tests pass testkit's. */
  now?: Clock;
  /** Verifies access tokens; by default against the auth service's JWKS at AUTH_JWKS_URL. */
  verifyToken?: TokenVerifier;
  tls?: TlsOptions;
}

/** Builds the service process (never listens by itself). */
export async function buildServer(deps: ReservationServerDeps): Promise<ServiceHost> {
  const { config, database, log } = deps;
  const now = deps.now ?? systemClock;
  const db = database.db as ReservationDb;
  const impl = createReservationService({ db, now });
  return createService({
    name: "reservation",
    serviceNames: [ReservationService.typeName],
    log,
    tls: deps.tls,
    routes: (router) => router.service(ReservationService, impl),
    // Where tokens are checked. Users' access tokens: requireIdentity(ctx) in a handler returns
    // who called. Other services' tokens (issued for this service's name): what lets an internal
    // RPC, one whose proto names its `callers`, be called at all.
    tokens: { keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    now,
    verifyToken: deps.verifyToken,
    database,
    // Stop jobs, feeds and caches here once they exist; the chassis closes the database after.
    onClose: async () => {},
  });
}
