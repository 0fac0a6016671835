import { createServer } from "node:net";
import { createLogger } from "@triphub/platform";
import { generateKeyPair, SignJWT } from "jose";
import { type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

let gateway: RunningService;
beforeAll(async () => {
  const dead = `http://127.0.0.1:${await deadPort()}`;
  gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `auth=${dead}`,
        AUTH_JWKS_URL: `${dead}/.well-known/jwks.json`,
        UPSTREAM_TIMEOUT_MS: "2000",
        EDGE_CACHE_TTL_MS: "0",
      }),
      log: createLogger({ service: "gateway-test", level: "silent" }),
    }),
  );
});
afterAll(() => gateway?.close());

describe("when auth is down", () => {
  it("answers 503 when the keys to check a well-formed token cannot be fetched", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT({ roles: ["GUEST"] })
      .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "at+jwt" })
      .setSubject("u1")
      .setIssuer("triphub-auth")
      .setAudience("triphub")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    const res = await fetch(`${gateway.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(503);
  });

  it("answers 401 for a malformed token without asking for keys", async () => {
    const res = await fetch(`${gateway.url}/api/v1/users/me`, { headers: { authorization: "Bearer aaa.bbb.ccc" } });
    expect(res.status).toBe(401);
  });

  it("answers 503 for a public call whose backend is unreachable", async () => {
    const res = await fetch(`${gateway.url}/api/v1/auth:login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ana@example.com", password: "whatever it is" }),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: number }).code).toBe(14);
  });

  it("still answers 401 for a call without a token, without asking anyone", async () => {
    expect((await fetch(`${gateway.url}/api/v1/users/me`)).status).toBe(401);
  });
});
