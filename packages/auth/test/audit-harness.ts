// An auth service for the audit trail tests: real PostgreSQL (with a raw connection to read and
// try to change the rows), real gRPC, the gateway's service identity (for VerifyApiKey), a
// social login provider, a bootstrap ADMIN, and a clock that runs (ID tokens carry real times)
// but can be moved on.
import { Code, ConnectError } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { AuthService, type ListAuditEventsRequestSchema } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, createServiceClient, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningService, runningClock, serve, testSealingKeys, testServiceIdentities } from "@triphub/testkit";
import postgres from "postgres";
import { TEST_SCRYPT_PARAMS } from "../src/domain/password.js";
import { buildServer, loadAuthConfig, MIGRATIONS_FOLDER } from "../src/index.js";
import { ADMIN_EMAIL, AUDIENCE, ISSUER } from "./harness.js";
import { providersConfig, startProvider } from "./oauth-harness.js";

export const PASSWORD = "correct horse battery";

/** The running stack and what the tests read it with. */
export type AuditStack = Awaited<ReturnType<typeof startAuditStack>>;

export async function startAuditStack(name: string) {
  const provider = await startProvider();
  const clock = runningClock(new Date());
  const identities = testServiceIdentities(["gateway"]);
  const log = createLogger({ service: "auth-test", level: "silent" });
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name });
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const host = await buildServer({
    config: loadAuthConfig({
      DATABASE_URL: url,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      SERVICE_CLIENTS: identities.serviceClients,
      OAUTH_PROVIDERS: providersConfig(provider.issuer),
      ...testSealingKeys(),
    }),
    database: await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 4 }),
    log,
    now: clock.now,
    passwordParams: TEST_SCRYPT_PARAMS,
  });
  const auth: RunningService = await serve(host);
  const admin = await auth.client(AuthService).signUp({ email: ADMIN_EMAIL, password: PASSWORD, displayName: "Admin" });
  const adminToken = admin.tokens?.accessToken ?? "";

  /** Every event matching `filter`, newest first, read page by page through ListAuditEvents as the ADMIN. */
  async function events(filter: MessageInitShape<typeof ListAuditEventsRequestSchema> = {}) {
    const all = [];
    let pageToken = "";
    do {
      const page = await auth.client(AuthService, adminToken).listAuditEvents({ ...filter, pageSize: 200, pageToken });
      all.push(...page.auditEvents);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return all;
  }

  return {
    auth,
    provider,
    clock,
    sql,
    adminId: admin.user?.userId ?? "",
    adminToken,
    as: (token?: string) => auth.client(AuthService, token),
    gateway: () =>
      createServiceClient(AuthService, auth.url, { identity: { tokens: identities.tokens("gateway", auth.url, clock.now), audience: "auth" } }),
    events,
    async close() {
      await sql.end();
      await auth.close();
      await provider.stop();
    },
  };
}

let counter = 0;
/** A fresh email nobody has used. */
export const freshEmail = () => `audit${++counter}-${Date.now()}@example.com`;

/** The Connect code a call fails with (Code.Unknown if it resolves). */
export const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => Code.Unknown,
    (e: unknown) => ConnectError.from(e).code,
  );
