// The real auth service of a test platform, on a fresh database: the one place tests get users'
// tokens and services' identities from, as in production. It lives outside the testkit because
// auth itself is tested with the testkit.
import type { JsonWebKey } from "node:crypto";
import { buildServer, loadAuthConfig, MIGRATIONS_FOLDER } from "@triphub/auth";
import { AuthService, type Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type Clock, createLogger, openDatabase, SERVICE_NAMES, type ServiceTokenSource, systemClock } from "@triphub/platform";
import { freshDatabase, type RunningService, serve, type TestServiceIdentities, testSealingKeys, testServiceIdentities } from "@triphub/testkit";

const ISSUER = "triphub-auth";
const AUDIENCE = "triphub";
const ADMIN_EMAIL = "admin@triphub.test";
const PASSWORD = "correct horse battery";

/** A signed-in account: its id, an access token and the refresh token of its session. */
export interface StackUser {
  userId: string;
  token: string;
  refreshToken: string;
}

/** A service calling another with its own identity (service tokens from auth), see `clientAs`. */
export interface ServiceCaller {
  service: string;
  tokens: ServiceTokenSource;
}

/** Options of {@link startAuth}. */
export interface StartAuthOptions {
  /** Readable part of the database names, e.g. the test file's; services' databases derive from it. */
  name: string;
  /**
   * The platform's one clock (a testkit `testClock()` fits): auth stamps tokens with it and every
   * service built from `serviceDeps` checks them with it. Default: the system clock, for tests
   * of something that reads the real time (the gateway).
   */
  clock?: { now: Clock };
  /**
   * Services to register beyond SERVICE_NAMES, e.g. a new service not listed there yet: each
   * gets a client secret, so it can call others and be named in their caller lists.
   */
  services?: readonly string[];
  /** The Redis auth writes ended sessions to (its REDIS_URL), for a gateway that reads them. */
  redisUrl?: string;
}

/** The running auth service and what the rest of a test platform needs from it. */
export interface TestAuth {
  /** Auth itself, e.g. for `clientAs(auth.running, AuthService, user)`. */
  running: RunningService;
  /** As given to {@link startAuth}. */
  name: string;
  /**
   * The private JWK auth signs access tokens with now (its kid included): for tests that play
   * a forger holding the real key, to prove the other checks (issuer, audience, times) hold.
   */
  signingKey(): Promise<JsonWebKey & { kid: string }>;
  now: Clock;
  /** What a service verifies tokens with: auth's JWKS, issuer and user audience. */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Auth's client-credentials endpoint, where services get their tokens. */
  tokenUrl: string;
  /** The client secrets auth knows, for tests that fetch or forge service tokens themselves. */
  identities: TestServiceIdentities;
  /** The bootstrap administrator (first sign-up of BOOTSTRAP_ADMIN_EMAIL), who grants roles. */
  admin: StackUser;
  /** A new account with `roles` (GUEST only when none), signed in at the clock's time. */
  signUp(roles?: readonly Role[]): Promise<StackUser>;
  /** The same user with a fresh access token (session refreshed at the clock's time), e.g. after the clock jumps. */
  signInAgain(user: Pick<StackUser, "userId" | "refreshToken">): Promise<StackUser>;
  /** Calls as `service`: its tokens on the platform's clock, one source per service (so tokens are reused). */
  asService(service: string): ServiceCaller;
  /** The environment a service reads to call others as itself (platform's serviceIdentityConfigSpec). */
  identityConfig(service: string): { AUTH_TOKEN_URL: string; SERVICE_CLIENT_SECRET: string };
  close(): Promise<void>;
}

let accounts = 0;

/**
 * Starts the real auth service on a fresh database, with a client secret for every TripHub
 * service (and `services`) and its administrator signed up. Close it after the services that
 * use it, so none loses its JWKS mid-shutdown.
 */
export async function startAuth(opts: StartAuthOptions): Promise<TestAuth> {
  const now = opts.clock?.now ?? systemClock;
  const identities = testServiceIdentities([...new Set([...SERVICE_NAMES, ...(opts.services ?? [])])]);
  const log = createLogger({ service: "auth-test", level: "silent" });
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: `${opts.name}_auth` });
  const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 4 });
  const running = await serve(
    await buildServer({
      config: loadAuthConfig({
        DATABASE_URL: url,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
        SERVICE_CLIENTS: identities.serviceClients,
        REDIS_URL: opts.redisUrl,
        ...testSealingKeys(),
      }),
      database,
      log,
      now,
      // A cheap password hash: tests sign up many users.
      passwordParams: { N: 1024, r: 8, p: 1 },
    }),
  );
  const api = running.client(AuthService);
  const signUpAs = async (email: string): Promise<StackUser> => {
    const res = await api.signUp({ email, password: PASSWORD, displayName: "Test" });
    return { userId: res.user!.userId, token: res.tokens!.accessToken, refreshToken: res.tokens!.refreshToken };
  };
  const signInAgain = async (user: Pick<StackUser, "userId" | "refreshToken">): Promise<StackUser> => {
    const { tokens } = await api.refreshToken({ refreshToken: user.refreshToken });
    return { userId: user.userId, token: tokens!.accessToken, refreshToken: tokens!.refreshToken };
  };
  const admin = await signUpAs(ADMIN_EMAIL);
  const tokenUrl = `${running.url}/oauth2/token`;
  const callers = new Map<string, ServiceCaller>();

  return {
    running,
    name: opts.name,
    async signingKey() {
      // startAuth sets no AUTH_KEY_ENCRYPTION_KEY, so the private half is stored unsealed.
      const [row] = await database.sql<{ private_jwk: JsonWebKey & { kid: string } }[]>`
        select private_jwk from signing_keys where retired_at is null order by created_at desc limit 1`;
      if (!row) throw new Error("auth has no signing key yet");
      return row.private_jwk;
    },
    now,
    jwksUrl: `${running.url}/.well-known/jwks.json`,
    issuer: ISSUER,
    audience: AUDIENCE,
    tokenUrl,
    identities,
    admin,
    async signUp(roles = []) {
      const user = await signUpAs(`user${++accounts}@triphub.test`);
      if (roles.length === 0) return user;
      // The admin signs in now: its first token may have expired if the test moved the clock.
      const { tokens } = await api.login({ email: ADMIN_EMAIL, password: PASSWORD });
      await running.client(AuthService, tokens!.accessToken).setUserRoles({ userId: user.userId, roles: [...roles] });
      // Roles granted after login reach the access token on the next refresh.
      return signInAgain(user);
    },
    signInAgain,
    asService(service) {
      let caller = callers.get(service);
      if (!caller) {
        caller = { service, tokens: identities.tokens(service, running.url, now) };
        callers.set(service, caller);
      }
      return caller;
    },
    identityConfig: (service) => ({ AUTH_TOKEN_URL: tokenUrl, SERVICE_CLIENT_SECRET: identities.secretOf(service) }),
    close: () => running.close(),
  };
}
