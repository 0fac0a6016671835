// The service over real gRPC on a fresh database, with the real auth service beside it for
// users' tokens: what production runs, on loopback. A copy keeps this file and adds what its
// RPCs need (another service's client, fixtures).
import type { Client } from "@connectrpc/connect";
import { buildServer as buildAuth, MIGRATIONS_FOLDER as AUTH_MIGRATIONS, loadAuthConfig } from "@triphub/auth";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { createLogger, createTokenVerifier, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningService, serve, type TestClock, testClock, testServiceIdentities } from "@triphub/testkit";
import { buildServer, MIGRATIONS_FOLDER } from "../src/index.js";

const ISSUER = "triphub-auth";
const AUDIENCE = "triphub";
const log = createLogger({ service: "reservation-test", level: "silent" });

/** A signed-in user: their id and a client of the service carrying their token. */
export interface TestUser {
  userId: string;
  api: Client<typeof ReservationService>;
}

/** Auth and the service, started together; `close` stops both. */
export interface Platform {
  service: RunningService;
  /** The one clock of auth, the service and the token verifier. */
  clock: TestClock;
  /** A new GUEST account, signed in. */
  user(): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

/** Starts auth and the service on fresh databases named after the test file (`name`). */
export async function startPlatform(name: string): Promise<Platform> {
  const clock = testClock();
  const authUrl = await freshDatabase({ migrationsFolder: AUTH_MIGRATIONS, name: `${name}_auth` });
  const auth = await serve(
    await buildAuth({
      config: loadAuthConfig({
        DATABASE_URL: authUrl,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        SERVICE_CLIENTS: testServiceIdentities().serviceClients,
      }),
      database: await openDatabase({ url: authUrl, migrationsFolder: AUTH_MIGRATIONS, log, max: 4 }),
      log,
      now: clock.now,
      // A cheap password hash: these tests sign up many users.
      passwordParams: { N: 1024, r: 8, p: 1 },
    }),
  );
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name });
  const jwks = `${auth.url}/.well-known/jwks.json`;
  const service = await serve(
    await buildServer({
      config: { AUTH_JWKS_URL: jwks, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE },
      database: await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 4 }),
      log,
      now: clock.now,
      verifyToken: createTokenVerifier({ jwks, issuer: ISSUER, audience: AUDIENCE, now: clock.now }),
    }),
  );

  return {
    service,
    clock,
    async user() {
      const res = await auth.client(AuthService).signUp({
        email: `user${++counter}-${Date.now()}@triphub.test`,
        password: "correct horse battery",
        displayName: "Test",
      });
      return { userId: res.user!.userId, api: service.client(ReservationService, res.tokens!.accessToken) };
    },
    async close() {
      await service.close();
      await auth.close();
    },
  };
}
