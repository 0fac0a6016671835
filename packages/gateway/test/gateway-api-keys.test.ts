// Partner API keys end to end: keys made over REST, then calls through a real gateway that
// verifies them with the real auth service (VerifyApiKey, as the gateway) and forwards the
// owner's minted token to the real upstream.
import { Writable } from "node:stream";
import { createLogger } from "@triphub/platform";
import { startAuth, type StackUser, type TestAuth } from "@triphub/test-stack";
import { eventually, type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

const GET_ME = "triphub.auth.v1.AuthService.GetMe";
// Short, so revocation is seen quickly here; production's default is 5 s.
const CACHE_TTL_MS = 1_000;
// Every line the gateway writes: the last test reads them for secrets.
const logged: string[] = [];
const secrets: string[] = [];
let auth: TestAuth;
let gateway: RunningService;
let owner: StackUser;

beforeAll(async () => {
  // The real clock: the gateway checks tokens by it.
  auth = await startAuth({ name: "gateway_api_keys" });
  const log = createLogger({
    service: "gateway-test",
    level: "trace",
    destination: new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  });
  gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `auth=${auth.running.url}`,
        AUTH_JWKS_URL: auth.jwksUrl,
        AUTH_URL: auth.running.url,
        ...auth.identityConfig("gateway"),
        API_KEY_CACHE_TTL_MS: String(CACHE_TTL_MS),
        EDGE_CACHE_TTL_MS: "0",
      }),
      log,
    }),
  );
  owner = await auth.signUp();
});
afterAll(async () => {
  await gateway?.close();
  await auth?.close();
});

const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${gateway.url}${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface KeyJson {
  apiKeyId: string;
  prefix: string;
  expireTime?: string;
}

async function createKey(init: { scopes?: string[]; expireTime?: string } = {}): Promise<{ apiKey: KeyJson; secret: string }> {
  const res = await call("POST", "/api/v1/users/me/apiKeys", bearer(owner.token), { name: "partner", scopes: init.scopes ?? [GET_ME], ...init });
  expect(res.status).toBe(200);
  const created = (await res.json()) as { apiKey: KeyJson; secret: string };
  secrets.push(created.secret);
  return created;
}
const me = (headers: Record<string, string>) => call("GET", "/api/v1/users/me", headers);

describe("calls with an API key through the gateway", () => {
  it("serves the owner with X-Api-Key and with a bearer key", async () => {
    const { secret } = await createKey();
    for (const headers of [{ "x-api-key": secret }, bearer(secret)]) {
      const res = await me(headers);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ userId: owner.userId, roles: ["ROLE_GUEST"] });
    }
  });

  it("refuses a route outside the key's scopes with 403, naming the RPC", async () => {
    const { secret } = await createKey();
    const res = await call("GET", `/api/v1/users/${owner.userId}`, { "x-api-key": secret });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { code: number; message: string };
    expect(body.code).toBe(7);
    expect(body.message).toContain("scopes do not include triphub.auth.v1.AuthService.GetUser");
    // A key never manages keys, whatever it was granted.
    expect((await call("GET", "/api/v1/users/me/apiKeys", { "x-api-key": secret })).status).toBe(403);
  });

  it("refuses unknown and malformed keys, and a key beside an access token, with 401", async () => {
    const { apiKey, secret } = await createKey();
    const forged = `${apiKey.prefix}_${"A".repeat(43)}`;
    for (const headers of [{ "x-api-key": forged }, bearer(forged), { "x-api-key": "not-a-key" }, { "x-api-key": secret, ...bearer(owner.token) }]) {
      const res = await me(headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: number }).code).toBe(16);
    }
    // Access tokens work as before.
    expect((await me(bearer(owner.token))).status).toBe(200);
  });

  it("refuses a revoked key within the cache lifetime", async () => {
    const { apiKey, secret } = await createKey();
    expect((await me({ "x-api-key": secret })).status).toBe(200);
    const revoke = await call("POST", `/api/v1/users/me/apiKeys/${apiKey.apiKeyId}:revoke`, bearer(owner.token), {});
    expect(revoke.status).toBe(200);
    const revokedAt = Date.now();
    await eventually(async () => expect((await me({ "x-api-key": secret })).status).toBe(401), 10_000);
    // Generous slack over the cache lifetime: only "seconds, not minutes" is asserted.
    expect(Date.now() - revokedAt).toBeLessThan(CACHE_TTL_MS + 4_000);
  });

  it("refuses a key once it has expired", async () => {
    const { secret } = await createKey({ expireTime: new Date(Date.now() + 1_500).toISOString() });
    expect((await me({ "x-api-key": secret })).status).toBe(200);
    await eventually(async () => expect((await me({ "x-api-key": secret })).status).toBe(401), 10_000);
  });

  it("keeps the old key working during a rotation's overlap and refuses it after", async () => {
    const old = await createKey();
    const res = await call("POST", `/api/v1/users/me/apiKeys/${old.apiKey.apiKeyId}:rotate`, bearer(owner.token), { overlapSeconds: 2 });
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as { apiKey: KeyJson; secret: string; previousApiKey: KeyJson };
    secrets.push(rotated.secret);
    expect(rotated.previousApiKey.apiKeyId).toBe(old.apiKey.apiKeyId);
    expect((await me({ "x-api-key": old.secret })).status).toBe(200);
    expect((await me({ "x-api-key": rotated.secret })).status).toBe(200);
    await eventually(async () => expect((await me({ "x-api-key": old.secret })).status).toBe(401), 10_000);
    expect((await me({ "x-api-key": rotated.secret })).status).toBe(200);
  });

  it("lists keys by prefix and never shows a secret again", async () => {
    const { apiKey, secret } = await createKey();
    const res = await call("GET", "/api/v1/users/me/apiKeys?pageSize=100", bearer(owner.token));
    const text = await res.text();
    expect(text).toContain(apiKey.prefix);
    expect(text).not.toContain(secret);
  });

  it("logs the key's prefix, never a secret", () => {
    const text = logged.join("");
    expect(text).toMatch(/"apiKeyPrefix":"thk_live_[a-z0-9]{12}"/);
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(text).not.toContain(secret.slice("thk_live_".length + 13));
  });

  it("writes one ECS access line per request: who, the route template, status and latency, no credential", () => {
    const lines = logged
      .join("")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = lines.filter((l) => l["event.dataset"] === "gateway.access");
    const byKey = access.find((l) => l["http.route"] === "/api/v1/users/me" && typeof l.apiKeyPrefix === "string" && l["http.response.status_code"] === 200);
    expect(byKey).toMatchObject({
      message: "http",
      "log.level": "info",
      "service.name": "gateway-test",
      "http.request.method": "GET",
      "user.id": owner.userId,
      "event.duration": expect.any(Number),
      ms: expect.any(Number),
    });
    // The template, not the path: a user's id in a path stays out of the route.
    const other = access.find((l) => l["http.response.status_code"] === 403 && String(l["http.route"]).includes("{"));
    expect(other?.["http.route"]).toBe("/api/v1/users/{user_id}");
    expect(JSON.stringify(access)).not.toContain(owner.token);
    for (const line of access) expect(Object.keys(line).some((k) => /authorization|header|query|body/i.test(k))).toBe(false);
  });
});
