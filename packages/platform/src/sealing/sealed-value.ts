import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Where a sealed value lives: it opens only there, so a ciphertext copied to another row or column is refused. */
export interface SealContext {
  table: string;
  column: string;
  /** The row's identity, e.g. its primary key. */
  row: string;
}

/** Why a sealed value cannot be opened: altered, moved from another row, or sealed under a key this process lacks. */
export class SealedValueError extends Error {
  override readonly name = "SealedValueError";
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// v1.<data key id>.<iv>.<ciphertext and tag>, base64url parts (no dots in base64url).
const SEALED = /^v1\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

/** The data key id of `value` when it has the sealed form, else undefined (a value stored in clear). */
export function sealedKeyId(value: string): string | undefined {
  return SEALED.exec(value)?.[1];
}

// The version and key id are bound too, so neither can be swapped in the stored string.
const additionalData = (keyId: string, at: SealContext) => Buffer.from(`${VERSION}.${keyId}\n${at.table}\n${at.column}\n${at.row}`, "utf8");

/** Seals `plaintext` with data key `keyId` (AES-256-GCM, a fresh random IV each time). */
export function sealWith(keyId: string, key: Buffer, plaintext: string, at: SealContext): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(additionalData(keyId, at));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${keyId}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

/** Opens `sealed` with the key `keyOf` gives for its data key id; throws a SealedValueError when it cannot. */
export function openWith(sealed: string, at: SealContext, keyOf: (keyId: string) => Buffer | undefined): string {
  const m = SEALED.exec(sealed);
  if (!m) throw new SealedValueError(`${at.table}.${at.column} of ${at.row} is not a sealed value`);
  const [, keyId = "", iv = "", encoded = ""] = m;
  const key = keyOf(keyId);
  if (key === undefined) throw new SealedValueError(`${at.table}.${at.column} of ${at.row} is sealed with data key ${keyId}, which is not loaded`);
  const body = Buffer.from(encoded, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url")).setAAD(additionalData(keyId, at));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedValueError(`${at.table}.${at.column} of ${at.row} does not open (altered, or moved from another row)`);
  }
}

/** `key` wrapped by a key-encryption key: iv, ciphertext and tag, bound to the data key's id. */
export function wrapKey(kek: Buffer, keyId: string, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", kek, iv).setAAD(Buffer.from(`data-key:${keyId}`));
  return Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
}

/** The data key `wrapped` holds, or undefined when `kek` does not unwrap it. */
export function unwrapKey(kek: Buffer, keyId: string, wrapped: Uint8Array): Buffer | undefined {
  const bytes = Buffer.from(wrapped);
  try {
    const decipher = createDecipheriv("aes-256-gcm", kek, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(`data-key:${keyId}`));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
