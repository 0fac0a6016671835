// The response-header checks of the attack suite, through a real gateway in front of auth and
// accommodation: nosniff on every answer, HSTS over HTTPS only, CORS only for configured origins,
// and nothing of the database in the body when it is gone.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { buildServer as buildAccommodation, MIGRATIONS_FOLDER as ACCOMMODATION_MIGRATIONS } from "@triphub/accommodation";
import { Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createLogger, openDatabase } from "@triphub/platform";
import { serviceDeps, type StackUser, startAuth, type TestAuth } from "@triphub/test-stack";
import { type KillablePostgres, type RunningService, serve, startKillablePostgres } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../../src/index.js";
import { expectNoLeak, expectRefused } from "./refusals.js";

const log = createLogger({ service: "gateway-test", level: "silent" });
const APP = "https://app.triphub.test";
const certs = mkdtempSync(join(tmpdir(), "triphub-gw-tls-"));
let auth: TestAuth;
let pg: KillablePostgres;
let accommodation: RunningService;
let gateway: RunningService;
let secure: RunningService;
let host: StackUser;

beforeAll(async () => {
  // A throwaway self-signed certificate for 127.0.0.1 (Node cannot issue X.509 by itself).
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1"],
    { cwd: certs, stdio: "ignore" },
  );
  auth = await startAuth({ name: "gw_headers" });
  // Accommodation's database is one the test may kill.
  pg = await startKillablePostgres();
  const deps = await serviceDeps(auth, { service: "accommodation", migrationsFolder: ACCOMMODATION_MIGRATIONS });
  await deps.database.close();
  accommodation = await serve(await buildAccommodation({ ...deps, database: await openDatabase({ url: pg.url, migrationsFolder: ACCOMMODATION_MIGRATIONS, log, max: 4 }) }));
  const config = (extra: Record<string, string> = {}) =>
    loadGatewayConfig({
      UPSTREAMS: `auth=${auth.running.url},accommodation=${accommodation.url}`,
      AUTH_JWKS_URL: auth.jwksUrl,
      CORS_ORIGINS: APP,
      UPSTREAM_TIMEOUT_MS: "5000",
      EDGE_CACHE_TTL_MS: "0",
      ...auth.identityConfig("gateway"),
      ...extra,
    });
  gateway = await serve(await buildGateway({ config: config(), log }));
  const tls = { cert: readFileSync(join(certs, "cert.pem")), key: readFileSync(join(certs, "key.pem")) };
  secure = await serve(await buildGateway({ config: config(), log, tls }));
  host = await auth.signUp([Role.HOST]);
});
afterAll(async () => {
  await secure?.close();
  await gateway?.close();
  await accommodation?.close();
  await pg?.stop();
  await auth?.close();
  rmSync(certs, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, base = gateway.url) => fetch(`${base}${path}`, { headers });

/** A GET over HTTPS trusting the test's certificate: its status and headers. */
function httpsGet(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: readFileSync(join(certs, "cert.pem")) }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("X-Content-Type-Options", () => {
  it.each<[string, () => Promise<Response>]>([
    ["a success", () => get("/api/v1/auth/jwks")],
    ["a refusal", () => get("/api/v1/users/me")],
    ["an unknown route", () => get("/api/v1/nothing")],
    ["a bad request", () => fetch(`${gateway.url}/api/v1/users`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" })],
    ["a CORS preflight", () => fetch(`${gateway.url}/api/v1/users/me`, { method: "OPTIONS", headers: { origin: APP, "access-control-request-method": "GET" } })],
    ["the OpenAPI document", () => get("/openapi.json")],
    ["the docs page", () => get("/docs")],
    ["a health probe", () => get("/healthz")],
  ])("is nosniff on %s", async (_name, send) => {
    expect((await send()).headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("Strict-Transport-Security", () => {
  it("is sent over HTTPS, on successes and errors alike", async () => {
    for (const path of ["/api/v1/auth/jwks", "/api/v1/users/me", "/api/v1/nothing"]) {
      const res = await httpsGet(`${secure.url}${path}`);
      expect(res.headers["strict-transport-security"], path).toMatch(/^max-age=\d{7,}/);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
    }
  });

  it("is never sent over plain HTTP", async () => {
    expect((await get("/api/v1/auth/jwks")).headers.get("strict-transport-security")).toBeNull();
  });
});

describe("CORS", () => {
  it("allows the configured origin", async () => {
    const res = await get("/api/v1/auth/jwks", { origin: APP });
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it.each([["https://evil.example"], ["null"], [`${APP}.evil.example`], ["http://app.triphub.test"]])(
    "gives an unlisted origin (%s) no Access-Control-Allow-Origin, on requests and preflights",
    async (origin) => {
      const res = await get("/api/v1/users/me", { origin, authorization: `Bearer ${host.token}` });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      const preflight = await fetch(`${gateway.url}/api/v1/users/me`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      expect(preflight.headers.get("access-control-allow-methods")).toBeNull();
    },
  );
});

describe("errors from behind the gateway", () => {
  it("say nothing of the database when it is gone", async () => {
    const mine = () => get("/api/v1/users/me/accommodations", { authorization: `Bearer ${host.token}` });
    expect((await mine()).status).toBe(200);
    await pg.kill();
    const res = await mine();
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    await expectRefused(res, res.status, res.status === 503 ? Code.Unavailable : Code.Internal);
  });

  it("say nothing of the database in readiness either", async () => {
    const res = await fetch(`${accommodation.url}/readyz`);
    expectNoLeak(await res.text());
  });
});
