import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { devCertificates, PROBE_IDENTITY } from "../src/dev-certificates.js";

const DAY = 86_400_000;
let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), "triphub-certs-")), "tls");
});
afterEach(() => rm(join(dir, ".."), { recursive: true, force: true }));

const cert = async (name: string) => new X509Certificate(await readFile(join(dir, `${name}.crt`)));

describe("the devstack's certificates", () => {
  it("makes a CA and, per service, a server and client certificate naming it, with keys only the owner reads", async () => {
    const certs = await devCertificates(dir, ["auth", "gateway"]);
    expect(certs.issued).toEqual(["ca", "auth", "gateway", PROBE_IDENTITY]);
    const ca = await cert("ca");
    expect(ca.ca).toBe(true);
    const auth = await cert("auth");
    expect(auth.checkIssued(ca) && auth.verify(ca.publicKey)).toBe(true);
    expect(auth.subjectAltName).toBe("IP Address:127.0.0.1, DNS:localhost, URI:spiffe://triphub/auth");
    expect(auth.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(auth.toLegacyObject().ext_key_usage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    // The probe is a client only.
    expect((await cert(PROBE_IDENTITY)).toLegacyObject().ext_key_usage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    for (const name of ["ca", "auth", "gateway", PROBE_IDENTITY]) expect((await stat(join(dir, `${name}.key`))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(certs.envFor("auth")).toEqual({ TLS_CERT_FILE: join(dir, "auth.crt"), TLS_KEY_FILE: join(dir, "auth.key"), TLS_CA_FILE: join(dir, "ca.crt") });
  });

  it("reuses them on the next start", async () => {
    await devCertificates(dir, ["auth"]);
    const before = await readFile(join(dir, "auth.crt"), "utf8");
    const again = await devCertificates(dir, ["auth"]);
    expect(again.issued).toEqual([]);
    expect(await readFile(join(dir, "auth.crt"), "utf8")).toBe(before);
  });

  it("re-issues a certificate that expires within a week, and every one when the CA is new", async () => {
    const now = Date.now();
    await devCertificates(dir, ["auth"], new Date(now));
    expect((await devCertificates(dir, ["auth"], new Date(now + 85 * DAY))).issued).toEqual(["auth", PROBE_IDENTITY]);
    const renewed = await cert("auth");
    expect(new Date(renewed.validTo).getTime()).toBeGreaterThan(now + 170 * DAY);
    // Past the CA's year, everything is made anew, and the new leaves chain to the new CA.
    expect((await devCertificates(dir, ["auth"], new Date(now + 360 * DAY))).issued).toEqual(["ca", "auth", PROBE_IDENTITY]);
    expect((await cert("auth")).verify((await cert("ca")).publicKey)).toBe(true);
  });

  it("adds a certificate for a service that has none yet", async () => {
    await devCertificates(dir, ["auth"]);
    expect((await devCertificates(dir, ["auth", "review"])).issued).toEqual(["review"]);
  });
});
