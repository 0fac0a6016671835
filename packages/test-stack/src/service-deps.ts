// What every service's buildServer takes in a test, wired to the platform's auth: one clock,
// auth's keys, the service's own fresh database and its identity for calling others.
import {
  type Clock,
  createLogger,
  createTokenVerifier,
  type Database,
  dataKeks,
  type KeyEncryptionKeys,
  type Logger,
  openDatabase,
  type TokenVerifier,
} from "@triphub/platform";
import { freshDatabase, testSealingKeys } from "@triphub/testkit";
import type { TestAuth } from "./auth.js";

/** Options of {@link serviceDeps}. */
export interface ServiceDepsOptions {
  /** The service's name: its identity with auth (its client id) and its logger's name. */
  service: string;
  /** The service's drizzle migrations (its package's MIGRATIONS_FOLDER). */
  migrationsFolder: string;
  /** Readable part of the database name; default: the auth's name and the service's. */
  database?: string;
  /** The pool's size; default 4. A service whose tests run many calls at once wants more. */
  maxConnections?: number;
}

/** The dependencies common to every service's buildServer; spread them and add the service's own. */
export interface ServiceDeps {
  /**
   * Where tokens are checked (auth's JWKS, issuer, audience) and how the service gets its own
   * (the platform's serviceIdentityConfigSpec). A service's config type that picks fewer keys
   * still accepts it: TypeScript does not check spread objects for excess keys.
   */
  config: {
    AUTH_JWKS_URL: string;
    AUTH_ISSUER: string;
    AUTH_AUDIENCE: string;
    AUTH_TOKEN_URL: string;
    SERVICE_CLIENT_SECRET: string;
    /** Fresh key-encryption keys of a service that seals personal data at rest (reservation). */
    DATA_KEKS: KeyEncryptionKeys;
  };
  /** The same keys as environment values, e.g. for a sealer a test opens on the database itself. */
  sealingKeys: { DATA_KEKS: string; BLIND_INDEX_KEY: string };
  /** Opened and migrated on a fresh database; the chassis closes it when the service closes. */
  database: Database;
  /** Opens the same database again: a service restarted in the test gets a pool of its own. */
  reopenDatabase(): Promise<Database>;
  /** Silent: a failing test shows its assertion, not the services' logs. */
  log: Logger;
  now: Clock;
  verifyToken: TokenVerifier;
}

/**
 * The deps a service under test is built with beside `auth`: `serve(await buildServer({ ...deps,
 * config: { ...deps.config, OTHER_URL } }))`. The service must be registered with auth (every
 * name in SERVICE_NAMES is; others through `startAuth({ services })`).
 */
export async function serviceDeps(auth: TestAuth, opts: ServiceDepsOptions): Promise<ServiceDeps> {
  const log = createLogger({ service: `${opts.service}-test`, level: "silent" });
  const { migrationsFolder } = opts;
  const url = await freshDatabase({ migrationsFolder, name: opts.database ?? `${auth.name}_${opts.service}` });
  const sealingKeys = testSealingKeys();
  return {
    config: {
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_ISSUER: auth.issuer,
      AUTH_AUDIENCE: auth.audience,
      ...auth.identityConfig(opts.service),
      DATA_KEKS: dataKeks.parse(sealingKeys.DATA_KEKS),
    },
    sealingKeys,
    database: await openDatabase({ url, migrationsFolder, log, max: opts.maxConnections ?? 4 }),
    reopenDatabase: () => openDatabase({ url, migrationsFolder, log, max: opts.maxConnections ?? 4 }),
    log,
    now: auth.now,
    verifyToken: createTokenVerifier({ jwks: auth.jwksUrl, issuer: auth.issuer, audience: auth.audience, now: auth.now }),
  };
}
