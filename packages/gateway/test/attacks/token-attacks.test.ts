// The token attacks of the attack suite, against a real gateway in front of the real auth: each
// forged, stale or stolen credential is refused with 401 UNAUTHENTICATED and the same few words,
// whatever was wrong with it.
import { createHmac, type JsonWebKey } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { createLogger } from "@triphub/platform";
import { startAuth, type TestAuth } from "@triphub/test-stack";
import { eventually, type RunningService, serve } from "@triphub/testkit";
import { type CryptoKey, decodeJwt, exportSPKI, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../../src/index.js";
import { expectRefused } from "./refusals.js";

const log = createLogger({ service: "gateway-test", level: "silent" });
const BAD_TOKEN = "invalid or expired access token";
const PASSWORD = "correct horse battery";
let auth: TestAuth;
let gateway: RunningService;
let victim: { userId: string; sid: string };
let key: { kid: string; jwk: JsonWebKey };

beforeAll(async () => {
  // The real clock: the gateway checks tokens by it.
  auth = await startAuth({ name: "gw_token_attacks" });
  gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `auth=${auth.running.url}`,
        AUTH_JWKS_URL: auth.jwksUrl,
        UPSTREAM_TIMEOUT_MS: "5000",
        EDGE_CACHE_TTL_MS: "0",
        // Its service identity: how it asks auth whether a session ended.
        ...auth.identityConfig("gateway"),
      }),
      log,
    }),
  );
  const user = await auth.signUp();
  victim = { userId: user.userId, sid: String(decodeJwt(user.token).sid) };
  const jwk = await auth.signingKey();
  key = { kid: jwk.kid, jwk };
});
afterAll(async () => {
  await gateway?.close();
  await auth?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const me = (authorization?: string) =>
  fetch(`${gateway.url}/api/v1/users/me`, { headers: authorization === undefined ? {} : { authorization } });
const post = (path: string, body: unknown, token?: string) =>
  fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

/** What auth would sign for the victim now; each attack changes one thing. */
function honestClaims(): JWTPayload {
  return { iss: auth.issuer, aud: auth.audience, sub: victim.userId, sid: victim.sid, roles: ["GUEST"], iat: now(), exp: now() + 600, jti: "forged" };
}

/** Signs `claims` with auth's real private key (an insider's forgery), under `header`. */
async function signWithAuthKey(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt", ...header })
    .sign(await importJWK(key.jwk as JWK, "ES256"));
}

const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

/** A token with an HMAC signature keyed by `secret`, as a library that trusts `alg` would check it. */
function hmacToken(header: Record<string, unknown>, claims: JWTPayload, secret: string): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

describe("the forging itself", () => {
  it("passes when nothing is changed (so each refusal below is the changed part's)", async () => {
    const res = await me(`Bearer ${await signWithAuthKey(honestClaims())}`);
    expect(res.status).toBe(200);
  });
});

describe("token attacks at the edge", () => {
  it("refuses a protected route without a token", async () => {
    expect(await expectRefused(await me(), 401, Code.Unauthenticated)).toMatch(/needs an access token/);
  });

  it.each([["Basic dXNlcjpwYXNz"], ["Bearer"], ["Bearer "], ["Bearer a b"], ["Bearer <script>"], ["Token abc.def.ghi"]])(
    "refuses a malformed Authorization header (%s)",
    async (header) => {
      expect(await expectRefused(await me(header), 401, Code.Unauthenticated)).toBe("malformed authorization header");
    },
  );

  it.each([["not.a.token"], ["garbage"], ["a.b.c.d.e"], [`${b64({ alg: "ES256" })}.${b64({})}.`]])("refuses a garbage token (%s)", async (token) => {
    expect(await expectRefused(await me(`Bearer ${token}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN);
  });

  it("refuses alg none", async () => {
    for (const alg of ["none", "None", "NONE"]) {
      const token = `${b64({ alg, typ: "at+jwt", kid: key.kid })}.${b64(honestClaims())}.`;
      expect(await expectRefused(await me(`Bearer ${token}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN);
    }
  });

  it("refuses HS256 signed with the server's public key (key confusion)", async () => {
    const jwks = (await (await fetch(auth.jwksUrl)).json()) as { keys: JWK[] };
    const publicJwk = jwks.keys[0]!;
    const pem = await exportSPKI((await importJWK(publicJwk, "ES256")) as CryptoKey);
    // Every form a confused verifier might take the public key in as an HMAC secret.
    for (const secret of [pem, pem.trim(), JSON.stringify(publicJwk), String(publicJwk.x)]) {
      for (const alg of ["HS256", "HS384"]) {
        const token = hmacToken({ alg, typ: "at+jwt", kid: key.kid }, honestClaims(), secret);
        expect(await expectRefused(await me(`Bearer ${token}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN);
      }
    }
  });

  it("refuses an unknown kid", async () => {
    const token = await signWithAuthKey(honestClaims(), { kid: "no-such-key" });
    expect(await expectRefused(await me(`Bearer ${token}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN);
  });

  it("refuses a token signed by another ES256 key under auth's kid", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT(honestClaims()).setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt" }).sign(privateKey);
    expect(await expectRefused(await me(`Bearer ${token}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN);
  });

  it.each<[string, (c: JWTPayload) => JWTPayload]>([
    ["expired", (c) => ({ ...c, iat: now() - 1200, exp: now() - 300 })],
    ["not yet valid (nbf in the future)", (c) => ({ ...c, nbf: now() + 300 })],
    ["issued in the future (iat beyond the leeway)", (c) => ({ ...c, iat: now() + 300, exp: now() + 900 })],
    ["of another issuer", (c) => ({ ...c, iss: "https://evil.example" })],
    ["for another audience", (c) => ({ ...c, aud: "accommodation" })],
    ["living longer than auth ever issues", (c) => ({ ...c, exp: now() + 86_400 })],
    ["without a subject", ({ sub: _sub, ...c }) => c],
    ["without a session", ({ sid: _sid, ...c }) => c],
    ["of a session that never existed", (c) => ({ ...c, sid: "0b5a4c1e-64f1-4c3c-9a0a-2f1d7d1e9e11" })],
    ["of another user's session", (c) => ({ ...c, sub: auth.admin.userId })],
    ["a service's (client credentials) with the users' audience", (c) => ({ ...c, client_id: "reservation", sub: "reservation" })],
  ])("refuses a token signed with auth's own key that is %s", async (_name, change) => {
    const token = await signWithAuthKey(change(honestClaims()));
    expect(await expectRefused(await me(`Bearer ${token}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN);
  });

  it("refuses a token that is not an access token (typ JWT)", async () => {
    const token = await signWithAuthKey(honestClaims(), { typ: "JWT" });
    expect(await expectRefused(await me(`Bearer ${token}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN);
  });

  it("refuses a real service token (client credentials) used as a user's token", async () => {
    const serviceToken = await auth.asService("reservation").tokens.tokenFor("auth");
    expect(await expectRefused(await me(`Bearer ${serviceToken}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN);
  });
});

/** A new account signed in through the gateway: its tokens as a client holds them. */
async function signUpThroughGateway(): Promise<{ email: string; accessToken: string; refreshToken: string }> {
  const email = `attack-${crypto.randomUUID()}@triphub.test`;
  const res = await post("/api/v1/users", { email, password: PASSWORD, displayName: "Victim" });
  expect(res.status).toBe(200);
  const { tokens } = (await res.json()) as { tokens: { accessToken: string; refreshToken: string } };
  return { email, ...tokens };
}

async function refresh(refreshToken: string): Promise<Response> {
  return post("/api/v1/auth:refresh", { refreshToken });
}

const tokensOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return ((await res.json()) as { tokens: { accessToken: string; refreshToken: string } }).tokens;
};

// Answers to a still-live session may be cached for a second or two: allow a few.
const refusedSoon = (token: string) =>
  eventually(async () => expect(await expectRefused(await me(`Bearer ${token}`), 401, Code.Unauthenticated)).toBe(BAD_TOKEN), 5_000);

describe("stolen and ended sessions", () => {
  it("refuses a replayed refresh token and revokes its family: the newest refresh and access tokens stop working", async () => {
    const first = await signUpThroughGateway();
    const second = await tokensOf(await refresh(first.refreshToken));
    const third = await tokensOf(await refresh(second.refreshToken));
    expect((await me(`Bearer ${third.accessToken}`)).status).toBe(200);
    // The thief replays the first refresh token after the owner has moved on.
    await expectRefused(await refresh(first.refreshToken), 401, Code.Unauthenticated);
    await expectRefused(await refresh(third.refreshToken), 401, Code.Unauthenticated);
    await refusedSoon(third.accessToken);
  });

  it("refuses an access token after logout", async () => {
    const session = await signUpThroughGateway();
    expect((await me(`Bearer ${session.accessToken}`)).status).toBe(200);
    expect((await post("/api/v1/auth:logout", { refreshToken: session.refreshToken })).status).toBe(200);
    await refusedSoon(session.accessToken);
  });

  it("refuses the access tokens of every session after a password change, and serves the new one", async () => {
    const session = await signUpThroughGateway();
    const other = await tokensOf(await post("/api/v1/auth:login", { email: session.email, password: PASSWORD }));
    expect((await me(`Bearer ${other.accessToken}`)).status).toBe(200);
    const changed = await post("/api/v1/users/me:changePassword", { currentPassword: PASSWORD, newPassword: "another horse battery" }, session.accessToken);
    const fresh = await tokensOf(changed);
    await refusedSoon(session.accessToken);
    await refusedSoon(other.accessToken);
    expect((await me(`Bearer ${fresh.accessToken}`)).status).toBe(200);
  });
});
