// Revocation through the shared list in Redis, and what happens when Redis goes away: ended
// sessions stay refused (auth is asked instead), and a gateway that can ask nobody refuses
// with 503 rather than letting a token through.
import { Code } from "@connectrpc/connect";
import { createLogger } from "@triphub/platform";
import { startAuth, type TestAuth } from "@triphub/test-stack";
import { eventually, type RunningService, type StartedServer, serve, startRedis } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../../src/index.js";
import { expectRefused } from "./refusals.js";

const log = createLogger({ service: "gateway-test", level: "silent" });
let redis: StartedServer;
let auth: TestAuth;
/** Reads the list in Redis only (no service identity to ask auth with). */
let listOnly: RunningService;
/** Reads the list, and asks auth when the list cannot answer. */
let withFallback: RunningService;

beforeAll(async () => {
  // A Redis of this file's own: the test stops it.
  redis = await startRedis();
  auth = await startAuth({ name: "gw_revocation", redisUrl: redis.url });
  const gateway = async (identity: Record<string, string>) =>
    serve(
      await buildGateway({
        config: loadGatewayConfig({
          UPSTREAMS: `auth=${auth.running.url}`,
          AUTH_JWKS_URL: auth.jwksUrl,
          UPSTREAM_TIMEOUT_MS: "5000",
          EDGE_CACHE_TTL_MS: "0",
          REDIS_URL: redis.url,
          ...identity,
        }),
        log,
      }),
    );
  listOnly = await gateway({});
  withFallback = await gateway(auth.identityConfig("gateway"));
});
afterAll(async () => {
  await listOnly?.close();
  await withFallback?.close();
  await auth?.close();
  await redis?.stop();
});

const me = (gateway: RunningService, token: string) => fetch(`${gateway.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
const logout = (refreshToken: string) =>
  fetch(`${withFallback.url}/api/v1/auth:logout`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refreshToken }) });

describe("ended sessions through the shared list", () => {
  it("serves live sessions and refuses a logged-out one, from Redis alone", async () => {
    const live = await auth.signUp();
    const leaving = await auth.signUp();
    // Auth marks the list complete once it has copied the database's revocations (about a second).
    await eventually(async () => expect((await me(listOnly, live.token)).status).toBe(200), 5_000);
    expect((await me(listOnly, leaving.token)).status).toBe(200);
    expect((await logout(leaving.refreshToken)).status).toBe(200);
    await eventually(async () => expect(await expectRefused(await me(listOnly, leaving.token), 401, Code.Unauthenticated)).toBe("invalid or expired access token"), 5_000);
    expect((await me(listOnly, live.token)).status).toBe(200);
  });

  it("when Redis is down: asks auth (a logout still takes effect) or, with nobody to ask, refuses with 503", async () => {
    const live = await auth.signUp();
    const leaving = await auth.signUp();
    expect((await me(withFallback, leaving.token)).status).toBe(200);
    await redis.stop();
    // Auth cannot write the list now; its database still records the logout.
    expect((await logout(leaving.refreshToken)).status).toBe(200);
    await eventually(async () => expect(await expectRefused(await me(withFallback, leaving.token), 401, Code.Unauthenticated)).toBe("invalid or expired access token"), 5_000);
    expect((await me(withFallback, live.token)).status).toBe(200);
    // Fail closed, never open: the gateway that can only read Redis cannot tell, so it refuses.
    await eventually(async () => expectRefused(await me(listOnly, live.token), 503, Code.Unavailable), 5_000);
    await expectRefused(await me(listOnly, leaving.token), 503, Code.Unavailable);
  });
});
