// Wires the database, the LISTEN feed and the RPCs into the chassis. It never listens by
// itself: main.ts (through runService) and the tests build it the same way.
import { fileURLToPath } from "node:url";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
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
import type { ConfigServerConfig } from "./config.js";
import { createConfigService } from "./service.js";
import { CONFIG_CHANNEL, createConfigStore } from "./store/config-store.js";
import type { ConfigDb } from "./store/db.js";

/** Where drizzle-kit writes the migrations; the chassis applies them at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** The config server's service identity (its client id with auth, and the audience of tokens sent to it). */
export const CONFIG_SERVER_NAME = "config";

/** What {@link buildServer} needs; tests build it the same way main.ts does. */
export interface ConfigServerDeps {
  config: Pick<ConfigServerConfig, "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE"> & Partial<Pick<ConfigServerConfig, "CONFIG_POLL_MS">>;
  /** Opened and migrated by the chassis (or the test); the chassis closes it last. */
  database: Database;
  log: Logger;
  now?: Clock;
  /** Verifies access tokens; by default against the auth service's JWKS at AUTH_JWKS_URL. */
  verifyToken?: TokenVerifier;
  tls?: TlsOptions;
}

/** Builds the config server process (never listens by itself). */
export async function buildServer(deps: ConfigServerDeps): Promise<ServiceHost> {
  const { config, database, log } = deps;
  const now = deps.now ?? systemClock;
  // One LISTEN per process: a write through any instance on the same database wakes the
  // watchers of every instance.
  const feed = createEventFeed({ sql: database.sql, log, channel: CONFIG_CHANNEL });
  const impl = createConfigService({ store: createConfigStore(database.db as ConfigDb), feed, pollMs: config.CONFIG_POLL_MS, now });
  const host = await createService({
    name: CONFIG_SERVER_NAME,
    serviceNames: [ConfigService.typeName],
    log,
    tls: deps.tls,
    routes: (router) => router.service(ConfigService, impl),
    // Users' access tokens (ADMIN may change config) and services' tokens issued for "config".
    tokens: { keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    now,
    verifyToken: deps.verifyToken,
    database,
    onClose: () => feed.close(),
  });
  // Watch streams end as shutdown begins (services reconnect elsewhere); otherwise draining
  // would wait for them.
  host.app.addHook("preClose", async () => {
    await feed.close();
  });
  return host;
}
