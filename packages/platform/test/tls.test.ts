import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadTls } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with the
// system's openssl (Debian ships it; Node cannot issue X.509 certificates by itself).
const dir = mkdtempSync(join(tmpdir(), "triphub-tls-"));
const pem = (name: string) => readFileSync(join(dir, name));
function openssl(...args: string[]) {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}
function issue(name: string, subject: string, ext: string) {
  openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-subj", subject, "-out", `${name}.csr`);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", `${name}.ext`, "-out", `${name}.crt`);
}

beforeAll(() => {
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-subj", "/CN=test ca", "-days", "1", "-out", "ca.crt");
  issue("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  issue("client", "/CN=reservation", "extendedKeyUsage=clientAuth\n");
  issue("gateway", "/CN=gateway", "subjectAltName=URI:spiffe://triphub/gateway\nextendedKeyUsage=clientAuth\n");
  issue("reservation", "/CN=gateway", "subjectAltName=URI:spiffe://triphub/reservation\nextendedKeyUsage=clientAuth\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const impl = { getJwks: () => ({ keys: [{ kid: "tls" }] }) };

describe("TLS on the service port", () => {
  it("serves gRPC over HTTP/2 and Connect over HTTP/1.1 with TLS on one port", async () => {
    const { host, url } = await startTestHost(impl, { tls: { cert: pem("server.crt"), key: pem("server.key") } });
    expect(url.startsWith("https://")).toBe(true);
    const ca = pem("ca.crt");
    const grpc = createClient(AuthService, createGrpcTransport({ baseUrl: url, nodeOptions: { ca } }));
    expect((await grpc.getJwks({})).keys[0]?.kid).toBe("tls");
    const h1 = createClient(AuthService, createConnectTransport({ baseUrl: url, httpVersion: "1.1", nodeOptions: { ca } }));
    expect((await h1.getJwks({})).keys[0]?.kid).toBe("tls");
    await host.close();
  });

  it("with a CA, serves only callers that present a certificate it signed (mTLS)", async () => {
    const tls = { cert: pem("server.crt"), key: pem("server.key"), ca: pem("ca.crt") };
    const { host, url } = await startTestHost(impl, { tls });
    const ca = pem("ca.crt");
    const withCert = createClient(
      AuthService,
      createGrpcTransport({ baseUrl: url, nodeOptions: { ca, cert: pem("client.crt"), key: pem("client.key") } }),
    );
    expect((await withCert.getJwks({})).keys[0]?.kid).toBe("tls");
    const anonymous = createClient(AuthService, createGrpcTransport({ baseUrl: url, nodeOptions: { ca } }));
    // TLS 1.3 may reset the stream rather than fail the handshake: assert no answer, not a code.
    await expect(anonymous.getJwks({}, { timeoutMs: 3_000 })).rejects.toThrow();
    await host.close();
  });

  it("takes a caller's service identity from its certificate's spiffe://triphub/ URI, never its common name", async () => {
    const tls = { cert: pem("server.crt"), key: pem("server.key"), ca: pem("ca.crt") };
    // VerifyApiKey is internal and lists only the gateway.
    const { host, url } = await startTestHost({ verifyApiKey: () => ({ apiKeyId: "k1" }) }, { tls });
    const as = (name: string) =>
      createClient(AuthService, createGrpcTransport({ baseUrl: url, nodeOptions: { ca: pem("ca.crt"), cert: pem(`${name}.crt`), key: pem(`${name}.key`) } }));
    expect((await as("gateway").verifyApiKey({ secret: "tk_live_0123456789abcdef0123456789abcdef" })).apiKeyId).toBe("k1");
    // Its common name says "gateway", but only the URI SAN names a service.
    const denied = await as("reservation").verifyApiKey({ secret: "tk_live_0123456789abcdef0123456789abcdef" }).catch((e: unknown) => ConnectError.from(e));
    expect(denied).toMatchObject({ code: Code.PermissionDenied });
    const noSan = await as("client").verifyApiKey({ secret: "tk_live_0123456789abcdef0123456789abcdef" }).catch((e: unknown) => ConnectError.from(e));
    expect(noSan).toMatchObject({ code: Code.PermissionDenied });
    await host.close();
  });

  it("reads TLS files from the configuration and names a missing one", async () => {
    await expect(loadTls({})).resolves.toBeUndefined();
    const tls = await loadTls({ TLS_CERT_FILE: join(dir, "server.crt"), TLS_KEY_FILE: join(dir, "server.key") });
    expect(tls?.cert.toString()).toContain("BEGIN CERTIFICATE");
    await expect(loadTls({ TLS_CERT_FILE: join(dir, "server.crt") })).rejects.toThrow(ConfigError);
    await expect(loadTls({ TLS_CERT_FILE: join(dir, "nope.crt"), TLS_KEY_FILE: join(dir, "server.key") })).rejects.toThrow(
      /TLS_CERT_FILE cannot be read/,
    );
  });
});
