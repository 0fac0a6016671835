import { desc, eq, isNull, sql } from "drizzle-orm";
import { activeKey, generateSigningKey, PUBLISH_AHEAD_SECONDS } from "../domain/signing-keys.js";
import type { SigningKey } from "../domain/signing-keys.js";
import type { Alongside, AuthDb, AuthTx } from "./db.js";
import { isSealed, openJwk, sealJwk } from "./key-sealing.js";
import { signingKeys } from "./schema.js";

/** Access-token signing keys. */
export interface KeyStore {
  /**
   * The key that signs at `now`; generates and stores the first one if there is none. Safe when
   * several instances start at once: they serialise on an advisory lock and all get one key.
   */
  ensureActiveKey(now: Date): Promise<SigningKey>;
  /**
   * Stores a new key that starts signing {@link PUBLISH_AHEAD_SECONDS} after `now` and retires
   * every key still active at that moment, in one transaction; returns the new key.
   */
  rotate(now: Date, alongside?: Alongside<SigningKey>): Promise<SigningKey>;
  /** Every stored key, newest first (feed it to `activeKey` / `publishedKeys`). */
  all(): Promise<SigningKey[]>;
}

// An arbitrary constant that names "the signing_keys table" among advisory locks.
const SIGNING_KEYS_LOCK = 0x7472_6970_6b65_79n; // "tripkey"

type KeyRow = typeof signingKeys.$inferSelect;

function toKey(row: KeyRow, kek: Buffer | undefined): SigningKey {
  if (row.alg !== "ES256") throw new Error(`signing key ${row.kid} has unsupported alg ${row.alg}`);
  return {
    kid: row.kid,
    alg: row.alg,
    publicJwk: row.publicJwk,
    privateJwk: openJwk(row.privateJwk, row.kid, kek),
    createdAt: row.createdAt,
    retiredAt: row.retiredAt ?? undefined,
  };
}

async function lockKeys(tx: AuthTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SIGNING_KEYS_LOCK.toString()}::bigint)`);
}

async function insertKey(tx: AuthTx, key: SigningKey, kek: Buffer | undefined): Promise<void> {
  await tx.insert(signingKeys).values({
    kid: key.kid,
    alg: key.alg,
    publicJwk: key.publicJwk,
    privateJwk: kek === undefined ? key.privateJwk : sealJwk(key.privateJwk, key.kid, kek),
    createdAt: key.createdAt,
    retiredAt: key.retiredAt ?? null,
  });
}

/** Seals keys stored before a key-encryption key was configured (under the keys' lock). */
async function sealPlainKeys(tx: AuthTx, kek: Buffer): Promise<void> {
  const rows = await tx.select({ kid: signingKeys.kid, privateJwk: signingKeys.privateJwk }).from(signingKeys);
  for (const r of rows) {
    if (!isSealed(r.privateJwk)) {
      await tx.update(signingKeys).set({ privateJwk: sealJwk(r.privateJwk, r.kid, kek) }).where(eq(signingKeys.kid, r.kid));
    }
  }
}

/** Options of {@link createKeyStore}. */
export interface KeyStoreOptions {
  /** Seals private keys at rest (see key-sealing.ts); from AUTH_KEY_ENCRYPTION_KEY. */
  kek?: Buffer;
}

/** The key store over `db`. */
export function createKeyStore(db: AuthDb, options: KeyStoreOptions = {}): KeyStore {
  const { kek } = options;
  async function all(executor: AuthDb | AuthTx = db): Promise<SigningKey[]> {
    const rows = await executor.select().from(signingKeys).orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid));
    return rows.map((r) => toKey(r, kek));
  }

  return {
    ensureActiveKey(now) {
      return db.transaction(async (tx) => {
        // The lock makes check-then-insert atomic across instances; it is released at commit.
        await lockKeys(tx);
        if (kek !== undefined) await sealPlainKeys(tx, kek);
        const current = activeKey(await all(tx), now);
        if (current) return current;
        const key = await generateSigningKey(now);
        await insertKey(tx, key, kek);
        return key;
      });
    },

    async rotate(now, alongside) {
      // Generate outside the transaction so the lock is held only for the writes.
      const startsAt = new Date(now.getTime() + PUBLISH_AHEAD_SECONDS * 1000);
      const key = await generateSigningKey(startsAt);
      await db.transaction(async (tx) => {
        await lockKeys(tx);
        await tx.update(signingKeys).set({ retiredAt: startsAt }).where(isNull(signingKeys.retiredAt));
        await insertKey(tx, key, kek);
        await alongside?.(tx, key);
      });
      return key;
    },

    all: () => all(),
  };
}
