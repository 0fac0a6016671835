// HTTPS at the edge, mTLS to the upstreams: the gateway checks a backend's certificate against
// the platform's CA and presents its own, which names it to the service without any token.
import type { HandlerContext } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { callerServiceKey, configOrExit, createClientFetch, createLogger, createService, setClientTls } from "@triphub/platform";
import { createTestPki, type RunningService, serve, serviceCertExt } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

const log = createLogger({ service: "gateway-test", level: "silent" });
const pki = createTestPki();
let backend: RunningService;
let gateway: RunningService;

beforeAll(async () => {
  pki.ca("platform");
  pki.issue("auth", "platform", serviceCertExt("auth"));
  pki.issue("gateway", "platform", serviceCertExt("gateway"));
  backend = await serve(
    await createService({
      name: "auth",
      serviceNames: [AuthService.typeName],
      // Answers with the service the chassis saw calling: from the certificate alone here.
      routes: (router) =>
        router.service(AuthService, {
          login: (_req, ctx: HandlerContext) => ({ tokens: { accessToken: `caller=${ctx.values.get(callerServiceKey) ?? "none"}` } }),
        }),
      log,
      tls: { cert: pki.pem("auth.crt"), key: pki.pem("auth.key"), ca: pki.pem("platform.crt") },
    }),
  );
  // As the gateway's main.ts reads it: its TLS files, with the platform's CA.
  const { config, tls } = await configOrExit("gateway", () =>
    loadGatewayConfig({
      UPSTREAMS: `auth=${backend.url}`,
      AUTH_JWKS_URL: `${backend.url}/.well-known/jwks.json`,
      TLS_CERT_FILE: pki.path("gateway.crt"),
      TLS_KEY_FILE: pki.path("gateway.key"),
      TLS_CA_FILE: pki.path("platform.crt"),
    }),
  );
  gateway = await serve(await buildGateway({ config, log, tls }));
});
afterAll(async () => {
  setClientTls(undefined);
  await gateway?.close();
  await backend?.close();
  pki.remove();
});

// A REST client that trusts the platform's CA and has no certificate of its own.
const browser = (url: string, init?: RequestInit) => createClientFetch({ ca: pki.pem("platform.crt") })(url, init);

describe("the gateway on TLS", () => {
  it("serves HTTPS to clients without a certificate and calls an mTLS upstream as the gateway", async () => {
    expect(backend.url.startsWith("https://")).toBe(true);
    expect(gateway.url.startsWith("https://")).toBe(true);
    const res = await browser(`${gateway.url}/api/v1/auth:login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ana@example.com", password: "correct horse battery" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=31536000\b/);
    expect(((await res.json()) as { tokens: { accessToken: string } }).tokens.accessToken).toBe("caller=gateway");
  });

  it("is ready once its mTLS upstream answers its probe", async () => {
    let status = 0;
    for (let i = 0; i < 30 && status !== 200; i++) {
      status = (await browser(`${gateway.url}/readyz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });

  it("sends HSTS on every HTTPS answer, errors included", async () => {
    const res = await browser(`${gateway.url}/api/v1/nowhere`);
    expect(res.status).toBe(404);
    expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=31536000\b/);
  });
});
