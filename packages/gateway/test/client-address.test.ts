// The client address through the gateway: auth's per-IP login throttle counts each client, not
// the gateway, and a forged X-Forwarded-For moves nothing unless a trusted proxy is in front.
import { request } from "node:http";
import { createLogger } from "@triphub/platform";
import { startAuth, type TestAuth } from "@triphub/test-stack";
import { type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

const log = createLogger({ service: "gateway-test", level: "silent" });
// auth's LOGIN_THROTTLE.maxPerIp: failures per client address per window.
const MAX_PER_IP = 20;
let auth: TestAuth;
let gateway: RunningService;
let behindProxy: RunningService;

const gatewayWith = async (extra: Record<string, string>) =>
  serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `auth=${auth.running.url}`,
        AUTH_JWKS_URL: auth.jwksUrl,
        ...auth.identityConfig("gateway"),
        EDGE_CACHE_TTL_MS: "0",
        ...extra,
      }),
      log,
    }),
  );

beforeAll(async () => {
  // The real clock: the gateway checks tokens and auth counts failed logins by it.
  auth = await startAuth({ name: "gateway_client_address" });
  gateway = await gatewayWith({});
  behindProxy = await gatewayWith({ TRUST_PROXY: "true" });
});
afterAll(async () => {
  await behindProxy?.close();
  await gateway?.close();
  await auth?.close();
});

/** A failed login through `gw` from the loopback address `from`; resolves to the HTTP status. */
async function login(gw: RunningService, from: string, email: string, headers: Record<string, string> = {}): Promise<number> {
  return (await loginResponse(gw, from, email, headers)).status;
}

function loginResponse(gw: RunningService, from: string, email: string, headers: Record<string, string> = {}) {
  const { port } = new URL(gw.url);
  const body = JSON.stringify({ email, password: "not the password" });
  return new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, localAddress: from, method: "POST", path: "/api/v1/auth:login", headers: { "content-type": "application/json", ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function spray(gw: RunningService, from: string, tag: string, headers: (i: number) => Record<string, string> = () => ({})) {
  for (let i = 0; i < MAX_PER_IP; i++) expect(await login(gw, from, `${tag}-${i}@example.com`, headers(i))).toBe(401);
}

describe("login throttling through the gateway", () => {
  it("locks out the client that sprayed, not every other client", async () => {
    await spray(gateway, "127.0.0.2", "spray-a");
    const locked = await loginResponse(gateway, "127.0.0.2", "one-more-a@example.com");
    expect(locked.status).toBe(429);
    // The lock's own end (auth's RetryInfo), not a generic few seconds.
    expect(Number(locked.retryAfter)).toBeGreaterThan(800);
    expect(await login(gateway, "127.0.0.3", "innocent@example.com")).toBe(401);
  });

  it("ignores X-Forwarded-For from a client when no proxy is trusted", async () => {
    await spray(gateway, "127.0.0.4", "spray-b", (i) => ({ "x-forwarded-for": `203.0.113.${i + 1}` }));
    expect(await login(gateway, "127.0.0.4", "one-more-b@example.com", { "x-forwarded-for": "203.0.113.250" })).toBe(429);
  });

  it("ignores a client's own X-Client-Ip header", async () => {
    await spray(gateway, "127.0.0.5", "spray-c", (i) => ({ "x-client-ip": `198.51.100.${i + 1}` }));
    expect(await login(gateway, "127.0.0.5", "one-more-c@example.com", { "x-client-ip": "198.51.100.250" })).toBe(429);
  });

  it("behind a trusted proxy, counts the address that proxy appended, not what the client wrote before it", async () => {
    const via = (client: string) => ({ "x-forwarded-for": `10.9.9.9, ${client}` });
    await spray(behindProxy, "127.0.0.6", "spray-d", () => via("192.0.2.10"));
    expect(await login(behindProxy, "127.0.0.6", "one-more-d@example.com", via("192.0.2.10"))).toBe(429);
    expect(await login(behindProxy, "127.0.0.6", "other-d@example.com", via("192.0.2.11"))).toBe(401);
  });
});
