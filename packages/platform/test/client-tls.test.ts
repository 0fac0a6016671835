import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callerServiceKey, clientFetch, clientTls, configOrExit, createServiceClient, remoteKeys, setClientTls, type TlsOptions } from "../src/index.js";
import { startTestHost } from "./fixtures.js";
import { createTestPki, serviceCertExt } from "@triphub/testkit";

const pki = createTestPki();
const SECRET = "tk_live_0123456789abcdef0123456789abcdef";

beforeAll(() => {
  pki.ca("platform");
  pki.ca("stranger");
  pki.issue("auth", "platform", serviceCertExt("auth"));
  pki.issue("gateway", "platform", serviceCertExt("gateway"));
  pki.issue("review", "platform", serviceCertExt("review"));
  // Names the gateway, but signed by a CA the platform does not trust.
  pki.issue("impostor", "stranger", serviceCertExt("gateway"));
});
afterEach(() => setClientTls(undefined));
afterAll(() => pki.remove());

const serverTls = (): TlsOptions => ({ cert: pki.pem("auth.crt"), key: pki.pem("auth.key"), ca: pki.pem("platform.crt") });
const clientTlsOf = (name: string, ca = "platform") => ({ ca: pki.pem(`${ca}.crt`), cert: pki.pem(`${name}.crt`), key: pki.pem(`${name}.key`) });

// VerifyApiKey is internal and lists only the gateway; the handler answers with the caller the chassis saw.
const whoCalls = { verifyApiKey: (_req: unknown, ctx: HandlerContext) => ({ apiKeyId: ctx.values.get(callerServiceKey) ?? "" }) };

describe("clients with the platform's client TLS", () => {
  it("call an mTLS service over https and are known as their service by the certificate alone", async () => {
    const { host, url } = await startTestHost(whoCalls, { tls: serverTls() });
    const client = createServiceClient(AuthService, url, { tls: clientTlsOf("gateway") });
    expect((await client.verifyApiKey({ secret: SECRET })).apiKeyId).toBe("gateway");
    await host.close();
  });

  it("use the process's client TLS when a client names none", async () => {
    const { host, url } = await startTestHost(whoCalls, { tls: serverTls() });
    setClientTls(clientTlsOf("gateway"));
    const client = createServiceClient(AuthService, url);
    expect((await client.verifyApiKey({ secret: SECRET })).apiKeyId).toBe("gateway");
    // Another service's certificate proves that service, which the RPC does not list.
    setClientTls(clientTlsOf("review"));
    const denied = await createServiceClient(AuthService, url).verifyApiKey({ secret: SECRET }).catch((e: unknown) => ConnectError.from(e));
    expect(denied).toMatchObject({ code: Code.PermissionDenied });
    await host.close();
  });

  it("are refused with a certificate from another CA, whatever service it names", async () => {
    const { host, url } = await startTestHost(whoCalls, { tls: serverTls() });
    // It trusts the platform's CA, so the server is fine to it; the server is not fine with it.
    const impostor = createServiceClient(AuthService, url, { tls: { ...clientTlsOf("impostor", "stranger"), ca: pki.pem("platform.crt") } });
    // TLS 1.3 may reset the stream rather than fail the handshake: assert no answer, not a code.
    await expect(impostor.verifyApiKey({ secret: SECRET }, { timeoutMs: 3_000 })).rejects.toThrow();
    // And a client that trusts only another CA refuses the service's certificate.
    const elsewhere = createServiceClient(AuthService, url, { tls: clientTlsOf("impostor", "stranger") });
    await expect(elsewhere.verifyApiKey({ secret: SECRET }, { timeoutMs: 3_000 })).rejects.toThrow();
    await host.close();
  });

  it("fetch over https with the process's certificate: HTTP routes and auth's JWKS on an mTLS port", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    const { host, url } = await startTestHost(
      {},
      {
        tls: serverTls(),
        httpRoutes: (app) => {
          app.get("/.well-known/jwks.json", async () => ({ keys: [jwk] }));
          app.post("/echo", async (req) => ({ got: String(req.body) }));
        },
      },
    );
    // Without a certificate the port answers nothing.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    setClientTls(clientTlsOf("gateway"));
    expect((await clientFetch(`${url}/healthz`)).status).toBe(200);
    const echo = await clientFetch(`${url}/echo`, { method: "POST", headers: { "content-type": "text/plain" }, body: "grant_type=x" });
    expect(await echo.json()).toEqual({ got: "grant_type=x" });
    const token = await new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: "k1" }).setIssuer("auth").sign(privateKey);
    const { payload } = await jwtVerify(token, remoteKeys(`${url}/.well-known/jwks.json`));
    expect(payload.iss).toBe("auth");
    await host.close();
  });

  it("take the process's setting from the service's own TLS files when they name a CA", async () => {
    await configOrExit("test", () => ({ TLS_CERT_FILE: pki.path("auth.crt"), TLS_KEY_FILE: pki.path("auth.key") }));
    // Without a CA the port speaks TLS, but outgoing calls keep the system's CAs.
    expect(clientTls()).toBeUndefined();
    await configOrExit("test", () => ({ TLS_CERT_FILE: pki.path("auth.crt"), TLS_KEY_FILE: pki.path("auth.key"), TLS_CA_FILE: pki.path("platform.crt") }));
    expect(clientTls()).toEqual({ ca: pki.pem("platform.crt"), cert: pki.pem("auth.crt"), key: pki.pem("auth.key") });
  });
});
