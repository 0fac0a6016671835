import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";
import { type Database, migrateExclusively, openDatabase } from "./database.js";
import type { TlsOptions } from "./dual-protocol-server.js";
import type { LiveConfig } from "./live-config/live-config.js";
import { liveConfigFromEnv } from "./live-config/live-config-from-env.js";
import { createLogger } from "./logger.js";
import type { ServiceHost } from "./service-host.js";
import { type RegistrationEnv, registeredHostFromEnv } from "./discovery/registered-host.js";
import { configOrExit } from "./startup.js";
import { discoveryFromEnv } from "./discovery/process-discovery.js";
import { tracingOrExit } from "./tracing/process-tracing.js";

/**
 * Closes the service gracefully on SIGTERM/SIGINT (stop accepting, drain, close the database),
 * then exits. A second signal exits at once. Only main.ts calls this (`runService` does).
 */
export function closeOnSignals(host: ServiceHost, log: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    host.close().then(
      () => {
        log.info("stopped");
        log.flush?.();
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** The configuration every service with a database reads (see `serviceConfigSpec`). */
export interface ServiceProcessConfig extends RegistrationEnv {
  PORT: number;
  HOST: string;
  LOG_LEVEL: string;
  DATABASE_URL: string;
  TLS_CERT_FILE?: string;
  TLS_KEY_FILE?: string;
  TLS_CA_FILE?: string;
  /** With CONFIG_URL the service follows its central configuration (see `liveConfigFromEnv`). */
  CONFIG_URL?: string;
  ENVIRONMENT?: string;
  CONFIG_CACHE_DIR?: string;
  AUTH_TOKEN_URL?: string;
  SERVICE_CLIENT_SECRET?: string;
}

/** What `runService` hands a service's `buildServer`: the same shape tests build it with. */
export interface ServiceProcessDeps<C> {
  config: C;
  /** Migrated and open; the service passes it to `createService({ database })`, which pings and closes it. */
  database: Database;
  log: Logger;
  tls: TlsOptions | undefined;
  now: Clock;
  /**
   * The service's central configuration, already applied (log level) and followed; pass it to
   * `createService({ liveConfig })`, and read feature flags and settings from it. Undefined
   * without CONFIG_URL.
   */
  liveConfig?: LiveConfig;
}

/** Options for {@link runService}. */
export interface RunServiceOptions<C extends ServiceProcessConfig> {
  /** Short name for logs and configuration errors, e.g. "auth". */
  name: string;
  /** Reads and validates the environment (throws a ConfigError listing every bad variable). */
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  /** The service's drizzle-kit output folder, applied before the server is built. */
  migrationsFolder: string;
  /** The service's `buildServer`. */
  build: (deps: ServiceProcessDeps<C>) => Promise<ServiceHost>;
}

/**
 * The variable that makes a service process its own migration step: with `MIGRATE_ONLY=1`,
 * {@link runService} applies the pending migrations to DATABASE_URL and returns without serving.
 * A deployment runs the service's own image with it as a job before the new version rolls out
 * (infra/k8s), so a schema change is in place before any new instance starts.
 */
export const MIGRATE_ONLY_VARIABLE = "MIGRATE_ONLY";

/**
 * A service process's whole main.ts: reads the configuration (or exits with status 2 naming
 * every bad variable), loads and follows the central configuration (with CONFIG_URL), migrates
 * and opens the database, builds the server with the system clock, closes it on SIGTERM/SIGINT
 * and listens; with REGISTRY_URL it registers once ready and deregisters before draining. Resolves to the listening URL; with {@link MIGRATE_ONLY_VARIABLE} set, only
 * migrates and resolves to undefined.
 */
export async function runService<C extends ServiceProcessConfig>(opts: RunServiceOptions<C>): Promise<string | undefined> {
  if (process.env[MIGRATE_ONLY_VARIABLE] === "1") return runMigrations(opts.name, opts.migrationsFolder);
  const { config, tls } = await configOrExit(opts.name, () => opts.loadConfig(process.env));
  const log = createLogger({ service: opts.name, level: config.LOG_LEVEL });
  // Before anything is built: the chassis decides at build time whether to trace.
  const tracing = tracingOrExit(opts.name, process.env, log);
  const liveConfig = await liveConfigFromEnv(opts.name, config, log);
  // With REGISTRY_URL: `registry:///<service>` addresses resolve through it (before any client is made).
  const discovery = discoveryFromEnv(opts.name, config, log);
  const database = await openDatabase({ url: config.DATABASE_URL, migrationsFolder: opts.migrationsFolder, log, name: opts.name });
  const built = await opts.build({ config, database, log, tls, now: systemClock, liveConfig });
  // A service that does not hand it to createService still stops watching when it closes.
  // The last spans are exported after the server has drained, before the process exits.
  const unregistered: ServiceHost = { ...built, close: () => built.close().finally(() => Promise.all([liveConfig?.close(), discovery.close()])).finally(() => tracing?.shutdown()) };
  // With REGISTRY_URL: registered once ready, deregistered before the drain on SIGTERM.
  const host = registeredHostFromEnv(opts.name, unregistered, config, log);
  closeOnSignals(host, log);
  return host.listen({ port: config.PORT, host: config.HOST });
}

// Reads only what migrating needs: a migration job is not given the service's other settings.
async function runMigrations(name: string, migrationsFolder: string): Promise<undefined> {
  const url = process.env.DATABASE_URL;
  const log = createLogger({ service: `${name}-migrate`, level: process.env.LOG_LEVEL ?? "info" });
  if (!url) {
    log.error("DATABASE_URL is not set: say which database to migrate");
    process.exit(2);
  }
  await migrateExclusively(url, migrationsFolder, log);
  return undefined;
}

/** Options for {@link runRebuild}. */
export interface RunRebuildOptions {
  /** The service, e.g. "reservation". */
  name: string;
  migrationsFolder: string;
  /** Replays the service's log into its read models; resolves to the events replayed. */
  rebuild: (database: Database) => Promise<number>;
}

/**
 * A service's rebuild command: replays its event log into fresh read models, against the
 * database at DATABASE_URL. Stop the service's writers first (see rebuildProjections).
 */
export async function runRebuild(opts: RunRebuildOptions): Promise<void> {
  const url = process.env.DATABASE_URL;
  const log = createLogger({ service: `${opts.name}-rebuild`, level: process.env.LOG_LEVEL ?? "info" });
  if (!url) {
    log.error("DATABASE_URL is not set: say which database to rebuild");
    process.exit(2);
  }
  const database = await openDatabase({ url, migrationsFolder: opts.migrationsFolder, log, max: 2 });
  try {
    const started = performance.now();
    const replayed = await opts.rebuild(database);
    log.info({ replayed, ms: Math.round(performance.now() - started) }, "read models rebuilt from the event log");
  } finally {
    await database.close();
  }
}
