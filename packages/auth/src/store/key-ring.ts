import type { Clock } from "@triphub/platform";
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { activeKey, publishedKeys, type SigningKey } from "../domain/signing-keys.js";
import type { Alongside } from "./db.js";
import type { KeyStore } from "./key-store.js";

/** The signing keys as this instance sees them, cached and refreshed from the database. */
export interface KeyRing {
  /** The key that signs new tokens now. */
  signingKey(): Promise<SigningKey>;
  /** The public keys verifiers should trust now (JWKS `keys`). */
  jwks(): Promise<JSONWebKeySet>;
  /** A jose key resolver for verifying our own tokens; reloads once on an unknown kid. */
  resolver: JWTVerifyGetKey;
  /** Starts a new signing key; the old one stays published until its tokens expire. `alongside` commits with it. */
  rotate(alongside?: Alongside<SigningKey>): Promise<SigningKey>;
}

/** Options for {@link createKeyRing}. */
export interface KeyRingOptions {
  accessTokenTtlSeconds: number;
  now: Clock;
  /** How long a loaded key list is trusted before asking the database again. */
  reloadAfterMs?: number;
}

/**
 * Keys live in the database so every auth instance signs with the same key and a rotation
 * by one instance reaches the others within `reloadAfterMs` (or at once on an unknown kid).
 */
export async function createKeyRing(store: KeyStore, opts: KeyRingOptions): Promise<KeyRing> {
  const reloadAfterMs = opts.reloadAfterMs ?? 60_000;
  await store.ensureActiveKey(opts.now());
  let keys: SigningKey[] = [];
  // When the list was loaded, by the same clock that decides which keys are published: a list
  // loaded "before" the clock moved on (or back) is reloaded, so the published set follows it.
  let loadedAt = 0;
  let local: JWTVerifyGetKey = createLocalJWKSet({ keys: [] });

  const load = async () => {
    keys = await store.all();
    loadedAt = opts.now().getTime();
    local = createLocalJWKSet({ keys: publishedKeys(keys, opts.now(), opts.accessTokenTtlSeconds).map((k) => k.publicJwk) });
  };
  const age = () => opts.now().getTime() - loadedAt;
  const fresh = async () => {
    if (age() > reloadAfterMs || age() < 0) await load();
  };
  await load();

  return {
    async signingKey() {
      await fresh();
      return activeKey(keys, opts.now()) ?? (await store.ensureActiveKey(opts.now()));
    },
    async jwks() {
      await fresh();
      return { keys: publishedKeys(keys, opts.now(), opts.accessTokenTtlSeconds).map((k) => k.publicJwk) };
    },
    async resolver(header, token) {
      await fresh();
      try {
        return await local(header, token);
      } catch (e) {
        // Another instance may have rotated since we loaded; look once more before refusing.
        if (age() >= 0 && age() < 1_000) throw e;
        await load();
        return local(header, token);
      }
    },
    async rotate(alongside) {
      const key = await store.rotate(opts.now(), alongside);
      await load();
      return key;
    },
  };
}
