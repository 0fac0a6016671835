// Partner API keys against the real auth service over gRPC: who may manage which keys, what is
// stored (a hash, never the secret), what VerifyApiKey answers the gateway, rotation with
// overlap, and that no log line ever carries a secret.
import { Writable } from "node:stream";
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AuthService, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, createServiceClient, createTokenVerifier, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningService, serve, testClock, testSealingKeys, testServiceIdentities } from "@triphub/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SCRYPT_PARAMS } from "../src/domain/password.js";
import { buildServer, loadAuthConfig, MIGRATIONS_FOLDER } from "../src/index.js";
import { ADMIN_EMAIL, AUDIENCE, ISSUER, signUp } from "./harness.js";

const SEARCH = "triphub.accommodation.v1.AccommodationService.SearchAccommodations";
const GET_ME = "triphub.auth.v1.AuthService.GetMe";

const clock = testClock(new Date());
const identities = testServiceIdentities(["gateway", "review"]);
// Every line auth writes, at every level: the last test reads them for secrets.
const logged: string[] = [];
const secrets: string[] = [];
let auth: RunningService;
let sql: postgres.Sql;

beforeAll(async () => {
  const log = createLogger({
    service: "auth-test",
    level: "trace",
    destination: new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  });
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "auth_api_keys" });
  sql = postgres(url, { max: 2, onnotice: () => {} });
  const host = await buildServer({
    config: loadAuthConfig({ DATABASE_URL: url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, SERVICE_CLIENTS: identities.serviceClients, ...testSealingKeys() }),
    database: await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 4 }),
    log,
    now: clock.now,
    passwordParams: TEST_SCRYPT_PARAMS,
  });
  auth = await serve(host);
  await signUp(auth, { email: ADMIN_EMAIL });
});
afterAll(async () => {
  await auth?.close();
  await sql?.end();
});

const as = (token: string) => auth.client(AuthService, token);
const asService = (name: "gateway" | "review") =>
  createServiceClient(AuthService, auth.url, { identity: { tokens: identities.tokens(name, auth.url, clock.now), audience: "auth" } });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: Code.Unknown, message: "resolved" }),
    (e: unknown) => {
      const err = ConnectError.from(e);
      return { code: err.code, message: err.rawMessage };
    },
  );
const codeOf = async (p: Promise<unknown>) => (await failure(p)).code;

async function newUser() {
  const { user, tokens } = await signUp(auth);
  return { userId: user!.userId, token: tokens!.accessToken };
}
/** The bootstrap ADMIN, signed in at the clock's time. */
async function admin() {
  const { tokens } = await auth.client(AuthService).login({ email: ADMIN_EMAIL, password: "correct horse battery" });
  return { token: tokens!.accessToken };
}
async function createKey(token: string, init: { name?: string; scopes?: string[]; expireTime?: Date; userId?: string } = {}) {
  const res = await as(token).createApiKey({
    name: init.name ?? "partner",
    scopes: init.scopes ?? [SEARCH],
    expireTime: init.expireTime ? timestampFromDate(init.expireTime) : undefined,
    userId: init.userId,
  });
  secrets.push(res.secret);
  return res;
}
const rowCount = async () => Number((await sql`SELECT count(*)::int AS n FROM api_keys`)[0]!.n);

describe("CreateApiKey", () => {
  it("shows a prefixed secret once and stores only its SHA-256", async () => {
    const owner = await newUser();
    const { apiKey, secret } = await createKey(owner.token, { name: "booking partner", scopes: [SEARCH, "triphub.review.v1.ReviewService.*"] });
    expect(secret).toMatch(/^thk_live_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "booking partner", userId: owner.userId, roles: [Role.GUEST], scopes: [SEARCH, "triphub.review.v1.ReviewService.*"] });
    expect(secret.startsWith(`${apiKey!.prefix}_`)).toBe(true);
    expect(apiKey!.prefix).toHaveLength("thk_live_".length + 12);

    const [row] = await sql`SELECT * FROM api_keys WHERE id = ${apiKey!.apiKeyId}`;
    const { createHash } = await import("node:crypto");
    expect(row!.secret_hash).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(secret.slice(apiKey!.prefix.length));

    const listed = await as(owner.token).listApiKeys({});
    expect(listed.apiKeys.map((k) => k.apiKeyId)).toEqual([apiKey!.apiKeyId]);
    expect(JSON.stringify(listed, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(secret.slice(apiKey!.prefix.length));
  });

  it.each([
    ["an empty name", { name: "" }],
    ["a past expiry", { expireTime: new Date(Date.now() - 60_000) }],
    ["an unknown scope", { scopes: ["triphub.accommodation.v1.AccommodationService.StealEverything"] }],
    ["an unknown service wildcard", { scopes: ["triphub.nothing.v1.NoService.*"] }],
    ["an internal RPC", { scopes: ["triphub.auth.v1.AuthService.VerifyApiKey"] }],
    ["a credential RPC", { scopes: ["triphub.auth.v1.AuthService.CreateApiKey"] }],
    ["a wildcard covering credential RPCs", { scopes: ["triphub.auth.v1.AuthService.*"] }],
    ["no scopes", { scopes: [] }],
  ])("refuses %s with INVALID_ARGUMENT and stores nothing", async (_what, init) => {
    const owner = await newUser();
    const before = await rowCount();
    expect(await codeOf(createKey(owner.token, init))).toBe(Code.InvalidArgument);
    expect(await rowCount()).toBe(before);
  });

  it("refuses an expiry that is past by auth's clock, not only by the wall clock", async () => {
    clock.advance(3_600_000);
    try {
      const owner = await newUser();
      const before = await rowCount();
      const refused = await failure(createKey(owner.token, { expireTime: new Date(Date.now() + 60_000) }));
      expect(refused.code).toBe(Code.InvalidArgument);
      expect(refused.message).toContain("expire_time");
      expect(await rowCount()).toBe(before);
    } finally {
      clock.advance(-3_600_000);
    }
  });

  it("makes a key for another user only for an ADMIN", async () => {
    const partner = await newUser();
    const other = await newUser();
    expect(await codeOf(createKey(other.token, { userId: partner.userId }))).toBe(Code.PermissionDenied);
    const { apiKey } = await createKey((await admin()).token, { userId: partner.userId });
    expect(apiKey!.userId).toBe(partner.userId);
    expect((await as(partner.token).listApiKeys({})).apiKeys.map((k) => k.apiKeyId)).toEqual([apiKey!.apiKeyId]);
  });

  it("needs a signed-in caller", async () => {
    expect(await codeOf(auth.client(AuthService).createApiKey({ name: "x", scopes: [SEARCH] }))).toBe(Code.Unauthenticated);
  });
});

describe("ListApiKeys", () => {
  it("pages the caller's keys newest first with page tokens", async () => {
    const owner = await newUser();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      made.push((await createKey(owner.token, { name: `k${i}` })).apiKey!.apiKeyId);
    }
    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await as(owner.token).listApiKeys({ pageSize: 2, pageToken });
      expect(page.apiKeys.length).toBeLessThanOrEqual(2);
      seen.push(...page.apiKeys.map((k) => k.apiKeyId));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== "" && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse());
  });

  it("shows another user's keys only to an ADMIN, and a page token only pages its own list", async () => {
    const owner = await newUser();
    const other = await newUser();
    await createKey(owner.token);
    await createKey(owner.token);
    expect(await codeOf(as(other.token).listApiKeys({ userId: owner.userId }))).toBe(Code.PermissionDenied);
    expect((await as(other.token).listApiKeys({})).apiKeys).toEqual([]);
    const byAdmin = await as((await admin()).token).listApiKeys({ userId: owner.userId, pageSize: 1 });
    expect(byAdmin.apiKeys).toHaveLength(1);
    expect(await codeOf(as(other.token).listApiKeys({ pageSize: 1, pageToken: byAdmin.nextPageToken }))).toBe(Code.InvalidArgument);
  });
});

describe("RevokeApiKey", () => {
  it("revokes the caller's own key; another user's is NOT_FOUND unless an ADMIN asks", async () => {
    const owner = await newUser();
    const other = await newUser();
    const first = await createKey(owner.token);
    const second = await createKey(owner.token);
    expect(await codeOf(as(other.token).revokeApiKey({ apiKeyId: first.apiKey!.apiKeyId }))).toBe(Code.NotFound);
    expect((await asService("gateway").verifyApiKey({ secret: first.secret })).apiKeyId).toBe(first.apiKey!.apiKeyId);

    const revoked = await as(owner.token).revokeApiKey({ apiKeyId: first.apiKey!.apiKeyId });
    expect(revoked.apiKey!.revokeTime).toBeDefined();
    expect(await codeOf(asService("gateway").verifyApiKey({ secret: first.secret }))).toBe(Code.Unauthenticated);
    // Again: nothing changes, not even the time of revocation.
    const again = await as(owner.token).revokeApiKey({ apiKeyId: first.apiKey!.apiKeyId });
    expect(again.apiKey!.revokeTime).toEqual(revoked.apiKey!.revokeTime);

    await as((await admin()).token).revokeApiKey({ apiKeyId: second.apiKey!.apiKeyId });
    expect(await codeOf(asService("gateway").verifyApiKey({ secret: second.secret }))).toBe(Code.Unauthenticated);
  });
});

describe("VerifyApiKey", () => {
  it("gives the gateway the key, owner, roles, scopes and an access token naming the key", async () => {
    const owner = await newUser();
    const { apiKey, secret } = await createKey(owner.token, { scopes: [SEARCH, GET_ME] });
    expect(apiKey!.lastUseTime).toBeUndefined();
    const res = await asService("gateway").verifyApiKey({ secret });
    expect(res).toMatchObject({ apiKeyId: apiKey!.apiKeyId, userId: owner.userId, roles: [Role.GUEST], scopes: [SEARCH, GET_ME], prefix: apiKey!.prefix });
    const expiresIn = timestampDate(res.accessTokenExpireTime!).getTime() - clock.now().getTime();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(900_000);

    // A real user token to every service: verified against auth's JWKS like any other.
    const verify = createTokenVerifier({ jwks: `${auth.url}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE, now: clock.now });
    expect(await verify(res.accessToken)).toMatchObject({ userId: owner.userId, roles: ["GUEST"] });
    const claims = JSON.parse(Buffer.from(res.accessToken.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: owner.userId, api_key_id: apiKey!.apiKeyId, scopes: [SEARCH, GET_ME] });
    expect(claims.sid).toBeUndefined();
    // The owner's own token calls GetMe as the owner.
    expect((await as(res.accessToken).getMe({})).user!.userId).toBe(owner.userId);

    const [listed] = (await as(owner.token).listApiKeys({})).apiKeys;
    expect(timestampDate(listed!.lastUseTime!)).toEqual(clock.now());
  });

  it("refuses unknown, malformed, wrong, revoked and expired secrets alike", async () => {
    const owner = await newUser();
    const live = await createKey(owner.token);
    const expiring = await createKey(owner.token, { expireTime: new Date(clock.now().getTime() + 60_000) });
    const revoked = await createKey(owner.token);
    await as(owner.token).revokeApiKey({ apiKeyId: revoked.apiKey!.apiKeyId });
    clock.advance(61_000);
    try {
      const wrongSecret = `${live.apiKey!.prefix}_${"A".repeat(43)}`;
      const unknown = `thk_live_${"z".repeat(12)}_${"A".repeat(43)}`;
      const answers = await Promise.all(
        [wrongSecret, unknown, "thk_live_malformed_but_long_enough", expiring.secret, revoked.secret].map((secret) =>
          failure(asService("gateway").verifyApiKey({ secret })),
        ),
      );
      expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ code: Code.Unauthenticated, message: "invalid API key" })]));
      expect((await asService("gateway").verifyApiKey({ secret: live.secret })).apiKeyId).toBe(live.apiKey!.apiKeyId);
    } finally {
      clock.advance(-61_000);
    }
  });

  it("answers only the gateway", async () => {
    const owner = await newUser();
    const { secret } = await createKey(owner.token);
    expect(await codeOf(asService("review").verifyApiKey({ secret }))).toBe(Code.PermissionDenied);
    expect([Code.PermissionDenied, Code.Unauthenticated]).toContain(await codeOf(as(owner.token).verifyApiKey({ secret })));
  });
});

describe("RotateApiKey", () => {
  it("issues a new secret for the same grants and keeps the old one working for the overlap only", async () => {
    const owner = await newUser();
    const expiry = new Date(clock.now().getTime() + 30 * 86_400_000);
    const old = await createKey(owner.token, { name: "nightly sync", scopes: [SEARCH, GET_ME], expireTime: expiry });
    const rotated = await as(owner.token).rotateApiKey({ apiKeyId: old.apiKey!.apiKeyId, overlapSeconds: 3600 });
    secrets.push(rotated.secret);
    expect(rotated.secret).not.toBe(old.secret);
    expect(rotated.apiKey).toMatchObject({ name: "nightly sync", scopes: [SEARCH, GET_ME], userId: owner.userId });
    expect(rotated.apiKey!.prefix).not.toBe(old.apiKey!.prefix);
    expect(timestampDate(rotated.apiKey!.expireTime!)).toEqual(expiry);
    expect(rotated.previousApiKey).toMatchObject({ apiKeyId: old.apiKey!.apiKeyId, replacedByApiKeyId: rotated.apiKey!.apiKeyId });
    expect(timestampDate(rotated.previousApiKey!.expireTime!).getTime()).toBe(clock.now().getTime() + 3_600_000);

    const gateway = asService("gateway");
    clock.advance(3_599_000);
    expect((await gateway.verifyApiKey({ secret: old.secret })).apiKeyId).toBe(old.apiKey!.apiKeyId);
    expect((await gateway.verifyApiKey({ secret: rotated.secret })).apiKeyId).toBe(rotated.apiKey!.apiKeyId);
    clock.advance(2_000);
    expect(await codeOf(gateway.verifyApiKey({ secret: old.secret }))).toBe(Code.Unauthenticated);
    expect((await gateway.verifyApiKey({ secret: rotated.secret })).apiKeyId).toBe(rotated.apiKey!.apiKeyId);

  });

  it("keeps the old key a day by default and refuses to rotate a replaced, revoked or someone else's key", async () => {
    const owner = await newUser();
    const other = await newUser();
    const old = await createKey(owner.token);
    expect(await codeOf(as(other.token).rotateApiKey({ apiKeyId: old.apiKey!.apiKeyId }))).toBe(Code.NotFound);
    const rotated = await as(owner.token).rotateApiKey({ apiKeyId: old.apiKey!.apiKeyId });
    secrets.push(rotated.secret);
    expect(timestampDate(rotated.previousApiKey!.expireTime!).getTime()).toBe(clock.now().getTime() + 86_400_000);
    expect(await codeOf(as(owner.token).rotateApiKey({ apiKeyId: old.apiKey!.apiKeyId }))).toBe(Code.FailedPrecondition);
    await as(owner.token).revokeApiKey({ apiKeyId: rotated.apiKey!.apiKeyId });
    expect(await codeOf(as(owner.token).rotateApiKey({ apiKeyId: rotated.apiKey!.apiKeyId }))).toBe(Code.FailedPrecondition);
    expect(await codeOf(as(owner.token).rotateApiKey({ apiKeyId: old.apiKey!.apiKeyId, overlapSeconds: 8 * 86_400 }))).toBe(Code.InvalidArgument);
    const byAdmin = await createKey(owner.token);
    const adminRotated = await as((await admin()).token).rotateApiKey({ apiKeyId: byAdmin.apiKey!.apiKeyId, overlapSeconds: 0 });
    secrets.push(adminRotated.secret);
    expect(await codeOf(asService("gateway").verifyApiKey({ secret: byAdmin.secret }))).toBe(Code.Unauthenticated);
  });
});

describe("logs", () => {
  it("name keys by prefix and never carry a secret", async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const text = logged.join("");
    expect(text).toContain("API key created");
    expect(text).toMatch(/"apiKey":"thk_live_[a-z0-9]{12}"/);
    for (const secret of secrets) expect(text).not.toContain(secret.slice("thk_live_".length + 13));
  });
});
