// The devstack's own small PKI for `npm start -- --tls`: a local CA and one certificate per
// service, made in pure JavaScript (WebCrypto, ECDSA P-256) so nothing but Node is needed.
import "reflect-metadata";
import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { type ClientTls, SERVICE_URI_PREFIX } from "@triphub/platform";

// Node's WebCrypto is the standard one; the library's types name the DOM's.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 86_400_000;
const CA_DAYS = 365;
const LEAF_DAYS = 90;
// Re-issued when less than this is left, so a stack started today does not expire while it runs.
const RENEW_BEFORE_MS = 7 * DAY;

/** The certificates of a TLS devstack, in `<dataDir>/tls/` (never in the repository). */
export interface DevCertificates {
  /** The local CA's certificate, what clients trust (`curl --cacert`). */
  caFile: string;
  /** A service's TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE: its server and client certificate. */
  envFor(name: string): Record<"TLS_CERT_FILE" | "TLS_KEY_FILE" | "TLS_CA_FILE", string>;
  /** What the devstack probes the services' /readyz with (its own client certificate). */
  probeTls: ClientTls;
  /** The certificates made on this start (the CA as "ca"); empty when every one was reused. */
  issued: string[];
}

/** The name of the devstack's own client certificate, for its readiness probes. */
export const PROBE_IDENTITY = "devstack";

/**
 * Loads the CA and a certificate for each of `services` (and the devstack's probe) from `dir`,
 * making any that is missing, unreadable, not from the CA, or expiring within a week. A new CA
 * re-issues every certificate. Keys are written with mode 0600.
 */
export async function devCertificates(dir: string, services: readonly string[], now: Date = new Date()): Promise<DevCertificates> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const issued: string[] = [];
  const file = (name: string, ext: "crt" | "key") => join(dir, `${name}.${ext}`);

  let ca = await loadIssued(file("ca", "crt"), file("ca", "key"), now);
  if (!ca) {
    ca = await issue({ name: "ca", now, days: CA_DAYS });
    await save(ca, file("ca", "crt"), file("ca", "key"));
    issued.push("ca");
  }
  const signer = ca;
  for (const name of [...services, PROBE_IDENTITY]) {
    const current = issued.includes("ca") ? undefined : await loadIssued(file(name, "crt"), file(name, "key"), now, signer.cert);
    if (current) continue;
    const leaf = await issue({ name, now, days: LEAF_DAYS, issuer: signer, serverToo: name !== PROBE_IDENTITY });
    await save(leaf, file(name, "crt"), file(name, "key"));
    issued.push(name);
  }

  const caPem = await readFile(file("ca", "crt"));
  return {
    caFile: file("ca", "crt"),
    envFor: (name) => ({ TLS_CERT_FILE: file(name, "crt"), TLS_KEY_FILE: file(name, "key"), TLS_CA_FILE: file("ca", "crt") }),
    probeTls: { ca: caPem, cert: await readFile(file(PROBE_IDENTITY, "crt")), key: await readFile(file(PROBE_IDENTITY, "key")) },
    issued,
  };
}

/** A certificate with its key: PEM for the files, the parsed forms for signing and checks. */
interface Issued {
  cert: X509Certificate;
  certPem: string;
  keyPem: string;
  signingKey: webcrypto.CryptoKey;
  x509: x509.X509Certificate;
}

/** The certificate and key in these files, when both are there, valid beyond a week and (for a leaf) issued by `ca`. */
async function loadIssued(certFile: string, keyFile: string, now: Date, ca?: X509Certificate): Promise<Issued | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
    const cert = new X509Certificate(certPem);
    const key = createPrivateKey(keyPem);
    if (!cert.checkPrivateKey(key)) return undefined;
    if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS || new Date(cert.validFrom) > now) return undefined;
    if (ca && !(cert.checkIssued(ca) && cert.verify(ca.publicKey))) return undefined;
    const der = key.export({ format: "der", type: "pkcs8" });
    const signingKey = await webcrypto.subtle.importKey("pkcs8", der, ALG, false, ["sign"]);
    return { cert, certPem, keyPem, signingKey, x509: new x509.X509Certificate(certPem) };
  } catch {
    return undefined;
  }
}

async function issue(opts: { name: string; now: Date; days: number; issuer?: Issued; serverToo?: boolean }): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  // A day back, so a clock a little behind still accepts it.
  const notBefore = new Date(opts.now.getTime() - DAY);
  const notAfter = new Date(opts.now.getTime() + opts.days * DAY);
  const serialNumber = randomSerial();
  const subjectKeyId = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey);
  let cert: x509.X509Certificate;
  if (!opts.issuer) {
    cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber,
      name: "CN=TripHub local development CA",
      notBefore,
      notAfter,
      signingAlgorithm: ALG,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        subjectKeyId,
      ],
    });
  } else {
    const usages = opts.serverToo ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth];
    // Loopback by address and by name for servers; the URI names the service to an mTLS peer.
    const names: x509.JsonGeneralName[] = [
      ...(opts.serverToo ? [{ type: "ip" as const, value: "127.0.0.1" }, { type: "dns" as const, value: "localhost" }] : []),
      { type: "url", value: `${SERVICE_URI_PREFIX}${opts.name}` },
    ];
    cert = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject: `CN=${opts.name}`,
      issuer: opts.issuer.x509.subject,
      notBefore,
      notAfter,
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: opts.issuer.signingKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(usages),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.x509, false),
        subjectKeyId,
      ],
    });
  }
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const keyPem = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ format: "pem", type: "pkcs8" }).toString();
  const certPem = cert.toString("pem");
  return { cert: new X509Certificate(certPem), certPem, keyPem, signingKey: keys.privateKey, x509: cert };
}

async function save(issued: Issued, certFile: string, keyFile: string): Promise<void> {
  await writeFile(keyFile, issued.keyPem, { mode: 0o600 });
  // writeFile's mode applies only to a new file: an old key file keeps its mode otherwise.
  await chmod(keyFile, 0o600);
  await writeFile(certFile, `${issued.certPem}\n`);
}

// 16 random bytes, first bit clear: a positive serial (RFC 5280 §4.1.2.2) nobody can guess.
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString("hex");
}
