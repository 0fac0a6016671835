import { fileURLToPath } from "node:url";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import {
  type Clock,
  connectRevokedSessions,
  createReencryptJob,
  openSealer,
  createService,
  type Database,
  type Logger,
  type ServiceHost,
  systemClock,
  type TlsOptions,
} from "@triphub/platform";
import { createAccountFlows } from "./account-flows.js";
import { createApiKeyFlows } from "./api-key-flows.js";
import { apiKeyScopeCatalog } from "./api-key-scopes.js";
import { createAuditTrail } from "./audit-trail.js";
import type { AuthConfig } from "./config.js";
import { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from "./domain/password.js";
import { CLOCK_SKEW_SECONDS } from "./domain/signing-keys.js";
import { registerJwksRoute } from "./http/jwks-route.js";
import { registerTokenEndpoint } from "./http/token-endpoint.js";
import { createHousekeeping } from "./jobs/housekeeping.js";
import { createOAuthFlows } from "./oauth-flows.js";
import { createOidcClient } from "./oidc/oidc-client.js";
import { createAuthService } from "./service.js";
import { createSessionRevocations } from "./session-revocations.js";
import { createApiKeyStore } from "./store/api-key-store.js";
import { createAuditStore } from "./store/audit-store.js";
import { createKeyRing } from "./store/key-ring.js";
import { keyEncryptionKey } from "./store/key-sealing.js";
import { createKeyStore } from "./store/key-store.js";
import { createOAuthStore } from "./store/oauth-store.js";
import { createSessionStore } from "./store/session-store.js";
import { createThrottleStore } from "./store/throttle-store.js";
import { createUserStore } from "./store/user-store.js";

/** Where drizzle-kit writes the auth migrations; applied at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

// Minted for the gateway to forward, never handed to a client; short, since a revoked key's
// token stays valid until it expires.
const API_KEY_TOKEN_TTL_SECONDS = 120;

/** What {@link buildServer} needs; tests build it the same way main.ts does. */
export interface AuthServerDeps {
  config: Pick<
    AuthConfig,
    | "AUTH_ISSUER"
    | "AUTH_AUDIENCE"
    | "ACCESS_TOKEN_TTL_SECONDS"
    | "REFRESH_TOKEN_TTL_DAYS"
    | "BOOTSTRAP_ADMIN_EMAIL"
    | "AUTH_KEY_ENCRYPTION_KEY"
    | "DATA_KEKS"
    | "BLIND_INDEX_KEY"
  > &
    Partial<Pick<AuthConfig, "SERVICE_CLIENTS" | "SERVICE_TOKEN_TTL_SECONDS" | "OAUTH_PROVIDERS" | "REDIS_URL" | "DATA_KEY_MAX_AGE_DAYS">>;
  database: Database;
  log: Logger;
  /** The clock every token, session and throttle window is stamped and checked with (default: the system clock). */
  now?: Clock;
  tls?: TlsOptions;
  /** Lower cost in tests; production uses the default. */
  passwordParams?: ScryptParams;
}

/** The AuthService implementation and what serving it needs, without the chassis. */
export async function buildAuthImpl(deps: AuthServerDeps) {
  const { config, database, log } = deps;
  const now = deps.now ?? systemClock;
  const db = database.db;
  const sealer = await openSealer(db, { keks: config.DATA_KEKS, blindIndexKey: config.BLIND_INDEX_KEY, log, now });
  const users = createUserStore(db, sealer);
  const reencrypt = createReencryptJob({
    sealer,
    steps: { users: (current, limit) => users.reseal(current, limit) },
    log,
    now,
    maxKeyAgeMs: (config.DATA_KEY_MAX_AGE_DAYS ?? 90) * 86_400_000,
  });
  // Accounts stored before sealing are sealed before the first request: lookups by email find
  // an account by its blind index only. The job goes on to move values off retired data keys.
  await reencrypt.runOnce();
  const kek = config.AUTH_KEY_ENCRYPTION_KEY === undefined ? undefined : keyEncryptionKey(config.AUTH_KEY_ENCRYPTION_KEY);
  if (kek === undefined) log.warn("AUTH_KEY_ENCRYPTION_KEY is not set: signing keys are stored unsealed (development only)");
  const keys = await createKeyRing(createKeyStore(db, { kek }), { accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS, now });
  const revocations = createSessionRevocations({
    list: config.REDIS_URL === undefined ? undefined : connectRevokedSessions({ url: config.REDIS_URL, log }),
    sessions: { revokedSince: (since) => sessions.revokedSince(since) },
    // Verifiers accept a token up to a minute of clock skew past its expiry.
    ttlMs: (config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS) * 1000,
    now,
    log,
  });
  const sessions = createSessionStore(db, { onRevoked: (familyIds) => revocations.publish(familyIds) });
  const throttle = createThrottleStore(db);
  const auditEvents = createAuditStore(db);
  const audit = createAuditTrail(auditEvents, now);
  const accounts = createAccountFlows({
    audit,
    users,
    sessions,
    throttle,
    keys,
    policy: {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_DAYS * 86_400,
    },
    passwordParams: deps.passwordParams ?? DEFAULT_SCRYPT_PARAMS,
    now,
    bootstrapAdminEmail: config.BOOTSTRAP_ADMIN_EMAIL,
  });
  const oauthStore = createOAuthStore(db, sealer);
  const providers = new Map([...(config.OAUTH_PROVIDERS ?? new Map()).values()].map((p) => [p.name, createOidcClient(p)]));
  const oauth = createOAuthFlows({ providers, store: oauthStore, users, accounts, audit, now, log });
  const apiKeys = createApiKeyFlows({
    store: createApiKeyStore(db),
    users,
    keys,
    audit,
    catalog: apiKeyScopeCatalog(),
    // The gateway asks again every few seconds; a token that outlives its key by long is not needed.
    tokens: { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, ttlSeconds: Math.min(API_KEY_TOKEN_TTL_SECONDS, config.ACCESS_TOKEN_TTL_SECONDS) },
    now,
    log,
  });
  return {
    impl: createAuthService({ accounts, oauth, apiKeys, users, sessions, keys, audit, auditEvents, log, now }),
    keys,
    revocations,
    reencrypt,
    sealer,
    housekeeping: createHousekeeping({ sessions, throttle, oauth: oauthStore, now, log }),
  };
}

/** Builds the auth service process (never listens by itself). */
export async function buildServer(deps: AuthServerDeps): Promise<ServiceHost> {
  const { config, database, log } = deps;
  const { impl, keys, housekeeping: chores, revocations, reencrypt } = await buildAuthImpl(deps);
  const now = deps.now ?? systemClock;
  const host = await createService({
    name: "auth",
    serviceNames: [AuthService.typeName],
    log,
    tls: deps.tls,
    routes: (router) => router.service(AuthService, impl),
    // Auth verifies its own tokens with the keys it holds, not over HTTP.
    tokens: { keys: keys.resolver, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
    now,
    httpRoutes: (app) => {
      registerJwksRoute(app, keys);
      registerTokenEndpoint(app, {
        keys,
        clients: config.SERVICE_CLIENTS ?? new Map(),
        issuer: config.AUTH_ISSUER,
        userAudience: config.AUTH_AUDIENCE,
        // Retired keys stay published for one access-token lifetime; a service token must not outlive that.
        ttlSeconds: Math.min(config.SERVICE_TOKEN_TTL_SECONDS ?? 300, config.ACCESS_TOKEN_TTL_SECONDS),
        now,
      });
    },
    database,
    onClose: async () => {
      await Promise.all([chores.stop(), revocations.stop(), reencrypt.stop()]);
    },
  });
  chores.start();
  reencrypt.start();
  revocations.start();
  return host;
}
