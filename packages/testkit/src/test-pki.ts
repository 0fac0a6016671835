import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Throwaway CAs and certificates for TLS tests, made with the system's openssl (Debian ships it). */
export interface TestPki {
  /** Makes a CA named `name` (`<name>.crt`, `<name>.key`). */
  ca(name: string): void;
  /** Issues `<name>.crt`/`<name>.key` from CA `ca` with the given openssl extensions (one per line). */
  issue(name: string, ca: string, ext: string): void;
  /** The PEM bytes of `<name>.crt` or `.key`. */
  pem(file: string): Buffer;
  path(file: string): string;
  remove(): void;
}

/** Makes a folder of certificates in the system temp dir; `remove()` deletes it. */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "triphub-pki-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  return {
    ca: (name) => openssl("req", "-x509", ...key, "-keyout", `${name}.key`, "-subj", `/CN=${name}`, "-days", "1", "-out", `${name}.crt`),
    issue(name, ca, ext) {
      openssl("req", ...key, "-keyout", `${name}.key`, "-subj", `/CN=${name}`, "-out", `${name}.csr`);
      writeFileSync(join(dir, `${name}.ext`), ext);
      openssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "1", "-extfile", `${name}.ext`, "-out", `${name}.crt`);
    },
    pem: (file) => readFileSync(join(dir, file)),
    path: (file) => join(dir, file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The extensions of a TripHub service certificate: server and client, on loopback, naming the service. */
export const serviceCertExt = (service: string) =>
  `subjectAltName=IP:127.0.0.1,DNS:localhost,URI:spiffe://triphub/${service}\nextendedKeyUsage=serverAuth,clientAuth\n`;
