// Rate limits at the edge, on real gateways: two instances in front of one stand-in upstream on
// the real chassis (gRPC on loopback, buf.validate on), sharing a Redis of the test's own that
// the test kills, stalls and restarts. Budgets are per hour and the clock is injected and
// stands still, so counts never drift with the machine's speed; every test uses its own
// addresses (X-Forwarded-For through TRUST_PROXY), users and keys, so budgets never overlap.
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type Identity, createLogger, createService } from "@triphub/platform";
import { eventually, type KillableRedis, type RunningService, serve, startKillableRedis, testClock } from "@triphub/testkit";
import { errors } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

const silent = createLogger({ service: "gateway-test", level: "silent" });
const clock = testClock();
const PROPERTY = "22222222-2222-4222-8222-222222222222";
const RATE_LIMITS = "default.ip=6/h, default.user=4/h, default.key=3/h, search.ip=2/h, search.user=none, search.key=none, login.ip=2/h";

/** A gateway under test with the lines it logged. */
interface Gateway extends RunningService {
  logs: { "log.level": string; message: string }[];
}

let redis: KillableRedis;
let upstream: RunningService;
let a: Gateway;
let b: Gateway;

// Bearer tokens the stand-in verifier knows: JWT-shaped, so they are not taken for API keys.
const users: Record<string, Identity> = {
  "h.u1.s": { userId: "00000000-0000-4000-8000-0000000000a1", roles: ["GUEST"] },
  "h.u2.s": { userId: "00000000-0000-4000-8000-0000000000a2", roles: ["GUEST"] },
};

async function startGateway(): Promise<Gateway> {
  const logs: Gateway["logs"] = [];
  const log = createLogger({ service: "gateway", level: "info", destination: { write: (line: string) => void logs.push(JSON.parse(line)) } });
  const running = await serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `auth=${upstream.url},accommodation=${upstream.url}`,
        AUTH_JWKS_URL: "http://127.0.0.1:9/.well-known/jwks.json",
        EDGE_CACHE_TTL_MS: "0",
        TRUST_PROXY: "true",
        RATE_LIMITS,
        REDIS_URL: redis.url,
        // Generous: on a busy machine a slow answer must not pass for an outage.
        RATE_LIMIT_REDIS_TIMEOUT_MS: "1000",
      }),
      log,
      now: clock.now,
      verifyToken: async (token) => {
        const user = users[token];
        if (!user) throw new errors.JWSInvalid("unknown token");
        return user;
      },
    }),
  );
  return Object.assign(running, { logs });
}

beforeAll(async () => {
  redis = await startKillableRedis();
  upstream = await serve(
    await createService({
      name: "stand-in",
      serviceNames: [AuthService.typeName, AccommodationService.typeName],
      routes: (router) => {
        router.service(AuthService, { login: () => ({}), getMe: () => ({ user: { userId: "me" } }) });
        router.service(AccommodationService, { searchAccommodations: () => ({}), getAccommodation: () => ({}) });
      },
      log: silent,
    }),
  );
  [a, b] = await Promise.all([startGateway(), startGateway()]);
}, 30_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await upstream?.close();
  await redis?.stop();
});

type Call = { address: string; token?: string; apiKey?: string };
const headersOf = (c: Call): Record<string, string> => ({
  "x-forwarded-for": c.address,
  ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
  ...(c.apiKey ? { "x-api-key": c.apiKey } : {}),
});

async function send(gw: Gateway, path: string, c: Call, init: RequestInit = {}) {
  const res = await fetch(`${gw.url}${path}`, { ...init, headers: { ...headersOf(c), ...(init.headers as Record<string, string>) } });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}
const accommodation = (gw: Gateway, c: Call) => send(gw, `/api/v1/accommodations/${PROPERTY}`, c);
const search = (gw: Gateway, c: Call) => send(gw, "/api/v1/accommodations:search?destination=Seoul", c);
const me = (gw: Gateway, c: Call) => send(gw, "/api/v1/users/me", c);
const login = (gw: Gateway, c: Call) =>
  send(gw, "/api/v1/auth:login", c, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "ana@example.com", password: "pw" }) });

/** The quota ids a 429 names. */
const quotaIds = (json: Record<string, unknown>) =>
  (json.details as { "@type": string; violations?: { quotaId: string }[] }[])
    .filter((d) => d["@type"].endsWith("google.rpc.QuotaFailure"))
    .flatMap((d) => d.violations!.map((v) => v.quotaId));

describe("rate limits per subject", () => {
  it("counts each client address on its own, in one budget both gateways share", async () => {
    const c = { address: "10.0.1.1" };
    for (let i = 0; i < 6; i++) expect((await accommodation(i % 2 ? b : a, c)).status).toBe(200);
    const refused = await accommodation(a, c);
    expect(refused.status).toBe(429);
    expect(quotaIds(refused.json)).toEqual(["default.ip"]);
    expect((await accommodation(b, c)).status).toBe(429);
    expect((await accommodation(a, { address: "10.0.1.2" })).status).toBe(200);
  });

  it("counts each user on its own, from whatever address", async () => {
    for (let i = 0; i < 4; i++) expect((await me(i % 2 ? b : a, { address: `10.0.2.${i}`, token: "h.u1.s" })).status).toBe(200);
    const refused = await me(b, { address: "10.0.2.9", token: "h.u1.s" });
    expect(refused.status).toBe(429);
    expect(quotaIds(refused.json)).toEqual(["default.user"]);
    expect((await me(a, { address: "10.0.2.10", token: "h.u2.s" })).status).toBe(200);
  });

  it("counts each API key on its own, whether sent as X-Api-Key or as a bearer key", async () => {
    // No auth runs here, so no key verifies (401): each attempt still costs the key's budget,
    // which is what stops a partner's leaked key, or a guesser, from hammering.
    const key = "thk_live_0123456789abcdefghij";
    expect((await accommodation(a, { address: "10.0.3.1", apiKey: key })).status).toBe(401);
    expect((await accommodation(b, { address: "10.0.3.2", apiKey: key })).status).toBe(401);
    expect((await accommodation(a, { address: "10.0.3.3", token: key })).status).toBe(401);
    const refused = await accommodation(b, { address: "10.0.3.4", apiKey: key });
    expect(refused.status).toBe(429);
    expect(quotaIds(refused.json)).toEqual(["default.key"]);
    const text = JSON.stringify(refused.json) + JSON.stringify([...refused.headers]);
    expect(text).not.toContain(key);
    expect(text).not.toContain("10.0.3.4");
    expect((await accommodation(a, { address: "10.0.3.5", apiKey: "thk_live_another_key_0000000" })).status).toBe(401);
  });

  it("gives search a budget of its own, apart from the default one", async () => {
    const c = { address: "10.0.4.1" };
    expect((await search(a, c)).status).toBe(200);
    expect((await search(b, c)).status).toBe(200);
    const refused = await search(a, c);
    expect(refused.status).toBe(429);
    expect(quotaIds(refused.json)).toEqual(["search.ip"]);
    expect((await accommodation(a, c)).status).toBe(200);

    const d = { address: "10.0.4.2" };
    for (let i = 0; i < 6; i++) await accommodation(b, d);
    expect((await accommodation(b, d)).status).toBe(429);
    expect((await search(b, d)).status).toBe(200);
  });
});

describe("the answers", () => {
  it("tells every response its budgets, and a refused one when to come back, in google.rpc.Status", async () => {
    const c = { address: "10.0.5.1" };
    const first = await login(a, c);
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-policy")).toBe('"login.ip";q=2;w=3600');
    expect(first.headers.get("ratelimit")).toBe('"login.ip";r=1;t=1800');
    expect((await login(b, c)).headers.get("ratelimit")).toBe('"login.ip";r=0;t=3600');

    const refused = await login(a, c);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1800");
    expect(refused.headers.get("ratelimit-policy")).toBe('"login.ip";q=2;w=3600');
    expect(refused.headers.get("ratelimit")).toBe('"login.ip";r=0;t=3600');
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect(refused.json).toEqual({
      code: 8,
      message: "too many login requests for this client address; retry in 1800 s",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.QuotaFailure",
          violations: [
            {
              subject: "ip",
              description: "2 login requests per hour per client address",
              quotaMetric: "triphub.io/login_requests",
              quotaId: "login.ip",
              quotaDimensions: { route_class: "login", subject: "ip" },
              quotaValue: "2",
            },
          ],
        },
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1800s" },
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "RATE_LIMIT_EXCEEDED",
          domain: "triphub.io",
          metadata: { route_class: "login", subject: "ip" },
        },
      ],
    });
  });

  it("lists every budget a request counts against, and lets a request in again once time has refilled one", async () => {
    const c = { address: "10.0.6.1", token: "h.u2.s" };
    const ok = await me(b, c);
    expect(ok.headers.get("ratelimit-policy")).toBe('"default.ip";q=6;w=3600, "default.user";q=4;w=3600');
    const d = { address: "10.0.6.2" };
    await login(a, d);
    await login(a, d);
    expect((await login(b, d)).status).toBe(429);
    clock.advance(1800 * 1000);
    expect((await login(b, d)).status).toBe(200);
    expect((await login(a, d)).status).toBe(429);
  });
});

describe("when Redis fails", () => {
  const warnings = (gw: Gateway) => gw.logs.filter((l) => l["log.level"] === "warn" && /Redis does not answer/.test(l.message)).length;
  const back = (gw: Gateway) => gw.logs.filter((l) => /Redis answers again/.test(l.message)).length;

  it("keeps limiting in each instance while Redis is down, then shares the budgets again once it is back", async () => {
    await redis.kill();
    const c = { address: "10.0.7.1" };
    const statuses: number[] = [];
    for (const gw of [a, b]) {
      for (let i = 0; i < 2; i++) statuses.push((await login(gw, c)).status);
      statuses.push((await login(gw, c)).status);
    }
    // Each instance lets its own two in: neither open (no 429) nor closed (no 200), never 5xx.
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
    expect([warnings(a), warnings(b)]).toEqual([1, 1]);

    await redis.start();
    await eventually(async () => expect([back(a), back(b)]).toEqual([1, 1]), 20_000);
    const d = { address: "10.0.7.2" };
    expect([(await login(a, d)).status, (await login(b, d)).status, (await login(a, d)).status, (await login(b, d)).status]).toEqual([200, 200, 429, 429]);
  });

  it("does not wait on a stalled Redis longer than its timeout", async () => {
    redis.pause();
    try {
      const c = { address: "10.0.8.1" };
      const statuses = [(await login(a, c)).status, (await login(a, c)).status, (await login(a, c)).status, (await login(b, c)).status];
      expect(statuses).toEqual([200, 200, 429, 200]);
      expect([warnings(a), warnings(b)]).toEqual([2, 2]);
    } finally {
      redis.resume();
    }
    await eventually(async () => expect([back(a), back(b)]).toEqual([2, 2]), 20_000);
  });
});
