import { createLogger, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningService, serve, type TestClock, testClock, testSealingKeys } from "@triphub/testkit";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { TEST_SCRYPT_PARAMS } from "../src/domain/password.js";
import { buildServer, loadAuthConfig, MIGRATIONS_FOLDER } from "../src/index.js";

export const ADMIN_EMAIL = "admin@triphub.test";
export const ISSUER = "triphub-auth-test";
export const AUDIENCE = "triphub";

/**
 * The auth service on a fresh database, served over real gRPC on loopback. Its clock starts at
 * the real time (so verifiers outside it agree) and moves only when a test moves it.
 */
export async function startAuth(
  clock: TestClock = testClock(new Date()),
  extraConfig: Record<string, string> = {},
): Promise<RunningService & { clock: TestClock }> {
  const log = createLogger({ service: "auth-test", level: "silent" });
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "auth" });
  const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 5 });
  const host = await buildServer({
    config: loadAuthConfig({ DATABASE_URL: url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, ...testSealingKeys(), ...extraConfig }),
    database,
    log,
    now: clock.now,
    passwordParams: TEST_SCRYPT_PARAMS,
  });
  return Object.assign(await serve(host), { clock });
}

let counter = 0;
/** Signs up a new account with a unique email; returns the account and its tokens. */
export async function signUp(svc: RunningService, overrides: { email?: string; password?: string } = {}) {
  const email = overrides.email ?? `user${++counter}-${Date.now()}@example.com`;
  const password = overrides.password ?? "correct horse battery";
  const res = await svc.client(AuthService).signUp({ email, password, displayName: "Test User" });
  return { email, password, user: res.user!, tokens: res.tokens! };
}
