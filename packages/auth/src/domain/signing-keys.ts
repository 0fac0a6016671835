import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import type { JWK } from "jose";

/** The only signing algorithm issued: ECDSA P-256 with SHA-256. */
export type SigningAlg = "ES256";

/** Seconds of clock skew we allow verifiers: a retired key stays published this much longer. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * How long a rotated-in key is published before it signs. A verifier refetches the JWKS for an
 * unknown kid at most once per cooldown (30 s, the platform's `remoteKeys`); a key that signed
 * sooner would be refused by a verifier that had just refetched the set without it.
 */
export const PUBLISH_AHEAD_SECONDS = 60;

/**
 * A key that signs access tokens. `publicJwk` is ready to publish (it carries kid, alg and
 * use "sig"); `privateJwk` never leaves the auth service.
 */
export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  privateJwk: JWK;
  /** When it starts signing: a rotated-in key is published {@link PUBLISH_AHEAD_SECONDS} before. */
  createdAt: Date;
  /** When it stopped signing new tokens; undefined while it may still sign. */
  retiredAt?: Date;
}

function isRetired(key: SigningKey, now: Date): boolean {
  return key.retiredAt !== undefined && key.retiredAt.getTime() <= now.getTime();
}

/** Newest first; kid breaks ties so the answer never depends on input order. */
function newestFirst(a: SigningKey, b: SigningKey): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  return byTime !== 0 ? byTime : b.kid.localeCompare(a.kid);
}

/** The key that signs new tokens at `now`: the newest one started and not retired, or undefined if none. */
export function activeKey(keys: readonly SigningKey[], now: Date): SigningKey | undefined {
  return keys.filter((k) => k.createdAt.getTime() <= now.getTime() && !isRetired(k, now)).sort(newestFirst)[0];
}

/**
 * The keys to publish in the JWKS at `now`, newest first: every key not retired (including one
 * rotated in that has not started signing yet), plus each
 * retired key until the last token it could have signed has expired (retiredAt + access-token
 * TTL + clock skew), so rotating a key never breaks a token still in use.
 */
export function publishedKeys(
  keys: readonly SigningKey[],
  now: Date,
  accessTokenTtlSeconds: number,
): SigningKey[] {
  const graceMs = (accessTokenTtlSeconds + CLOCK_SKEW_SECONDS) * 1000;
  return keys
    .filter((k) => k.retiredAt === undefined || k.retiredAt.getTime() + graceMs > now.getTime())
    .sort(newestFirst);
}

/** Generates a new ES256 key pair created at `now`, with a random 128-bit kid. */
export async function generateSigningKey(now: Date): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = randomBytes(16).toString("base64url");
  const alg: SigningAlg = "ES256";
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg, use: "sig" };
  return { kid, alg, publicJwk, privateJwk, createdAt: now };
}
