// A real OpenID Provider (oauth2-mock-server on loopback) and a real auth service configured
// with it, plus a "browser" that follows authorization URLs the way a user agent does.
import { Writable } from "node:stream";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningClock, runningClock, serve, testSealingKeys } from "@triphub/testkit";
import { type MutableResponse, OAuth2Server, type MutableToken } from "oauth2-mock-server";
import postgres from "postgres";
import { TEST_SCRYPT_PARAMS } from "../src/domain/password.js";
import { buildServer, loadAuthConfig, MIGRATIONS_FOLDER } from "../src/index.js";

export const CLIENT_ID = "triphub-web";
export const CLIENT_SECRET = "mock-client-secret-4f1c9e2b7d";
export const REDIRECT_URI = "http://localhost:5173/oauth/callback";

/** Claims the provider puts in the next ID tokens (sub, email, email_verified, name...). */
export type IdClaims = Record<string, unknown>;

/** A started OpenID Provider whose ID tokens a test shapes. */
export interface TestProvider {
  server: OAuth2Server;
  issuer: string;
  /** The claims of every ID token from now on (until set again). */
  setIdentity(claims: IdClaims): void;
  /** Changes the next ID token's claims after the identity is applied, before it is signed. */
  tamperNextIdToken(change: (payload: Record<string, unknown>) => void): void;
  /** Replaces the next ID token string in the token response (to break its signature). */
  replaceNextIdToken(change: (idToken: string) => string): void;
  stop(): Promise<void>;
}

/** Starts an OpenID Provider on loopback (issuer http://localhost:PORT). */
export async function startProvider(): Promise<TestProvider> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  await server.start(0, "127.0.0.1");
  let identity: IdClaims = { sub: "nobody" };
  let tamper: ((p: Record<string, unknown>) => void) | undefined;
  let replace: ((t: string) => string) | undefined;
  // The mock signs an access token and then the ID token for each code; only the ID token has no scope.
  server.service.on("beforeTokenSigning", (token: MutableToken) => {
    if ("scope" in token.payload) return;
    Object.assign(token.payload, identity);
    tamper?.(token.payload);
    tamper = undefined;
  });
  server.service.on("beforeResponse", (res: MutableResponse) => {
    const body = res.body as Record<string, unknown>;
    if (replace && typeof body.id_token === "string") body.id_token = replace(body.id_token);
    replace = undefined;
  });
  return {
    server,
    issuer: server.issuer.url ?? "",
    setIdentity: (claims) => {
      identity = claims;
    },
    tamperNextIdToken: (change) => {
      tamper = change;
    },
    replaceNextIdToken: (change) => {
      replace = change;
    },
    stop: () => server.stop(),
  };
}

/** OAUTH_PROVIDERS for providers named after `names`, all at `issuer` with their own client ids. */
export function providersConfig(issuer: string, names: string[] = ["mock"]): string {
  const entries = names.map((name, i) => [
    name,
    {
      issuer,
      clientId: i === 0 ? CLIENT_ID : `${CLIENT_ID}-${name}`,
      clientSecret: CLIENT_SECRET,
      scopes: ["openid", "email", "profile"],
      allowedRedirectUris: [REDIRECT_URI],
    },
  ]);
  return JSON.stringify(Object.fromEntries(entries));
}

/** Auth with social login, its database (to count rows) and every log line it wrote. */
export async function startOAuthAuth(oauthProviders: string, clock: RunningClock = runningClock(new Date())) {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ service: "auth-test", level: "debug", destination });
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "auth" });
  const database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 5 });
  const host = await buildServer({
    config: loadAuthConfig({ DATABASE_URL: url, AUTH_ISSUER: "triphub-auth-test", AUTH_AUDIENCE: "triphub", OAUTH_PROVIDERS: oauthProviders, ...testSealingKeys() }),
    database,
    log,
    now: clock.now,
    passwordParams: TEST_SCRYPT_PARAMS,
  });
  const svc = await serve(host);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    svc,
    clock,
    client: createClient(AuthService, createGrpcTransport({ baseUrl: svc.url })),
    logs,
    /** Rows in users and oauth_identities: what a refused login must not add to. */
    async counts() {
      const [row] = await sql<{ users: number; identities: number }[]>`
        select (select count(*)::int from users) as users, (select count(*)::int from oauth_identities) as identities`;
      return row;
    },
    async close() {
      await sql.end();
      await svc.close();
    },
  };
}

/**
 * What a browser does with an authorization URL: GET it and read where the provider redirects
 * (the redirect URI with `code` and `state`), without following that redirect.
 */
export async function followAuthorizationUrl(authorizationUrl: string): Promise<{ code: string; state: string; location: URL }> {
  const res = await fetch(authorizationUrl, { redirect: "manual" });
  const target = res.headers.get("location");
  if (res.status !== 302 || !target) throw new Error(`the provider answered ${res.status} without a redirect`);
  const location = new URL(target);
  return { code: location.searchParams.get("code") ?? "", state: location.searchParams.get("state") ?? "", location };
}
