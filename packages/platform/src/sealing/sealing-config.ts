import { type EnvVar, env, InvalidValue } from "../config.js";

/** A key-encryption key: its id (named in every data key it wraps) and its 32 bytes. */
export interface KeyEncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The configured key-encryption keys; the first wraps new and re-wrapped data keys. */
export interface KeyEncryptionKeys {
  readonly current: KeyEncryptionKey;
  /** Every configured key by id, the current one included. */
  readonly byId: ReadonlyMap<string, KeyEncryptionKey>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function key32(encoded: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new InvalidValue(`${what} must be base64`);
  const key = Buffer.from(encoded, "base64");
  if (key.length !== 32) throw new InvalidValue(`${what} must be 32 bytes (44 base64 characters), not ${key.length}`);
  return key;
}

/**
 * `DATA_KEKS`: `<id>:<base64 of 32 bytes>` entries, comma-separated; the first is current. Keep
 * an old entry after a new one until every data key has been re-wrapped (at the next start).
 */
export const dataKeks: EnvVar<KeyEncryptionKeys> = {
  expect: "comma-separated <id>:<base64 of 32 random bytes> entries, the current one first",
  secret: true,
  parse(raw) {
    const entries = (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (entries.length === 0) throw new InvalidValue("is required (personal data is never stored in clear)");
    const byId = new Map<string, KeyEncryptionKey>();
    for (const entry of entries) {
      const at = entry.indexOf(":");
      const id = at < 0 ? "" : entry.slice(0, at);
      if (!KEY_ID.test(id)) throw new InvalidValue("entries must start with an id of letters, digits, - or _ and a colon");
      if (byId.has(id)) throw new InvalidValue(`names key ${id} twice`);
      byId.set(id, { id, key: key32(entry.slice(at + 1), `key ${id}`) });
    }
    const [current] = byId.values();
    return { current: current!, byId };
  },
};

/** `BLIND_INDEX_KEY`: base64 of 32 bytes, the HMAC key of the equality indexes over sealed columns. */
export const blindIndexKey: EnvVar<Buffer> = {
  expect: "base64 of 32 random bytes",
  secret: true,
  parse(raw) {
    if (raw === undefined || raw === "") throw new InvalidValue("is required (lookups of sealed columns)");
    return key32(raw, "the key");
  },
};

/**
 * The environment of a service that seals personal data; spread it into the service's spec.
 * Both are required: a service with personal data refuses to start rather than store it in clear.
 */
export const sealingConfigSpec = {
  DATA_KEKS: dataKeks,
  BLIND_INDEX_KEY: blindIndexKey,
  /** Age at which the re-encrypt job replaces the data key and re-seals everything (0: never). */
  DATA_KEY_MAX_AGE_DAYS: env.int({ default: 90, min: 0, max: 3650 }),
};
