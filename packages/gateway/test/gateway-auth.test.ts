// End to end: REST through the TripHub gateway to the real auth service over gRPC.
import { createLogger } from "@triphub/platform";
import { startAuth, type TestAuth } from "@triphub/test-stack";
import { type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

const log = createLogger({ service: "gateway-test", level: "silent" });
let auth: TestAuth;
let gateway: RunningService;

beforeAll(async () => {
  // The real clock: the gateway checks tokens by it.
  auth = await startAuth({ name: "gateway_auth" });
  gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `auth=${auth.running.url}`,
        AUTH_JWKS_URL: auth.jwksUrl,
        CORS_ORIGINS: "https://app.triphub.test",
        UPSTREAM_TIMEOUT_MS: "5000",
        EDGE_CACHE_TTL_MS: "0",
      }),
      log,
    }),
  );
});
afterAll(async () => {
  await gateway?.close();
  await auth?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("REST through the gateway to auth", () => {
  it("signs up, logs in and reads the profile with the token", async () => {
    const signUp = await post("/api/v1/users", { email: "rest@example.com", password: "correct horse battery", displayName: "Rest" });
    expect(signUp.status).toBe(200);
    const login = await post("/api/v1/auth:login", { email: "rest@example.com", password: "correct horse battery" });
    expect(login.status).toBe(200);
    const { tokens } = (await login.json()) as { tokens: { accessToken: string } };
    const me = await fetch(`${gateway.url}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, "x-request-id": "trip-req-0001" },
    });
    expect(me.status).toBe(200);
    expect(me.headers.get("x-request-id")).toBe("trip-req-0001");
    expect(await me.json()).toMatchObject({ email: "rest@example.com", displayName: "Rest", roles: ["ROLE_GUEST"] });
  });

  it("answers 401 without a token and with a bad one, as google.rpc.Status", async () => {
    const none = await fetch(`${gateway.url}/api/v1/users/me`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 16 });
    const bad = await fetch(`${gateway.url}/api/v1/users/me`, { headers: { authorization: "Bearer not.a.token" } });
    expect(bad.status).toBe(401);
  });

  it("answers 400 with field violations for bad input", async () => {
    const res = await post("/api/v1/users", { email: "nope", password: "short", displayName: "" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: number; details: { "@type": string; fieldViolations?: { field: string }[] }[] };
    expect(body.code).toBe(3);
    const bad = body.details.find((d) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest");
    expect(bad?.fieldViolations?.map((v) => v.field).sort()).toEqual(["display_name", "email", "password"]);
  });

  it("answers 409 for a duplicate account and 404 for an unknown route", async () => {
    await post("/api/v1/users", { email: "twice@example.com", password: "correct horse battery", displayName: "A" });
    const again = await post("/api/v1/users", { email: "twice@example.com", password: "correct horse battery", displayName: "B" });
    expect(again.status).toBe(409);
    expect((await fetch(`${gateway.url}/api/v1/nothing-here`)).status).toBe(404);
  });

  it("serves the JWKS publicly with the cache policy from the proto", async () => {
    const res = await fetch(`${gateway.url}/api/v1/auth/jwks`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("etag")).toBeTruthy();
  });

  it("never lets shared caches keep an answer to a request with credentials", async () => {
    await post("/api/v1/users", { email: "cache@example.com", password: "correct horse battery", displayName: "Cache" });
    const login = await post("/api/v1/auth:login", { email: "cache@example.com", password: "correct horse battery" });
    const { tokens } = (await login.json()) as { tokens: { accessToken: string } };
    const anonymous = await fetch(`${gateway.url}/api/v1/auth/jwks`);
    expect(anonymous.headers.get("cache-control")).toBe("public, max-age=300");
    expect(anonymous.headers.get("vary")).toMatch(/\bAuthorization\b/i);
    const identified = await fetch(`${gateway.url}/api/v1/auth/jwks`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(identified.status).toBe(200);
    expect(identified.headers.get("cache-control")).toBe("private, max-age=300");
    expect(identified.headers.get("vary")).toMatch(/\bAuthorization\b/i);
  });

  it("answers CORS preflights for an allowed origin and not for others", async () => {
    const ok = await fetch(`${gateway.url}/api/v1/users/me`, {
      method: "OPTIONS",
      headers: { origin: "https://app.triphub.test", "access-control-request-method": "GET" },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.triphub.test");
    const other = await fetch(`${gateway.url}/api/v1/users/me`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("documents every routed RPC in /openapi.json", async () => {
    const spec = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(spec.paths["/api/v1/users/me"]).toHaveProperty("get");
    expect(spec.paths["/api/v1/auth:login"]).toHaveProperty("post");
  });
});
