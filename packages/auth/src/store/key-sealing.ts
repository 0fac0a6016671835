import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { JWK } from "jose";

/*
 * Private signing keys at rest: sealed with AES-256-GCM under a key-encryption key derived
 * (HKDF-SHA-256) from the configured secret, with the key id as additional data, so a sealed
 * key cannot be swapped onto another kid and any tampering fails to open. Without a configured
 * secret keys are stored as they are (development), and such rows are sealed once one is set.
 */

/** A private JWK as stored. */
export type StoredPrivateJwk = JWK | SealedJwk;

/** A sealed private JWK (base64url fields). */
export interface SealedJwk {
  sealed: "A256GCM";
  iv: string;
  data: string;
  tag: string;
}

/** The key-encryption key for a configured secret (AUTH_KEY_ENCRYPTION_KEY). */
export function keyEncryptionKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "triphub-auth", "signing-key-sealing", 32));
}

/** Whether a stored private key is sealed. */
export const isSealed = (stored: StoredPrivateJwk): stored is SealedJwk => (stored as SealedJwk).sealed === "A256GCM";

/** Seals `jwk` of key `kid` under `kek`. */
export function sealJwk(jwk: JWK, kid: string, kek: Buffer): SealedJwk {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kek, iv).setAAD(Buffer.from(kid));
  const data = Buffer.concat([cipher.update(JSON.stringify(jwk), "utf8"), cipher.final()]);
  return { sealed: "A256GCM", iv: iv.toString("base64url"), data: data.toString("base64url"), tag: cipher.getAuthTag().toString("base64url") };
}

/** The private JWK of key `kid` as stored, opened with `kek` when sealed. Throws a clear error when it cannot be. */
export function openJwk(stored: StoredPrivateJwk, kid: string, kek: Buffer | undefined): JWK {
  if (!isSealed(stored)) return stored;
  if (kek === undefined) throw new Error(`signing key ${kid} is sealed and AUTH_KEY_ENCRYPTION_KEY is not set`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", kek, Buffer.from(stored.iv, "base64url")).setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(stored.tag, "base64url"));
    const plain = Buffer.concat([decipher.update(Buffer.from(stored.data, "base64url")), decipher.final()]);
    return JSON.parse(plain.toString("utf8")) as JWK;
  } catch {
    throw new Error(`signing key ${kid} does not open with AUTH_KEY_ENCRYPTION_KEY (another key, or the row was altered)`);
  }
}
