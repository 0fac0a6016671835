import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt cost parameters: CPU/memory cost `N` (a power of two), block size `r`, parallelism `p`. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** Production cost: about 32 MiB and ~100 ms per hash on one core (OWASP's scrypt minimum or more). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** A cheap cost for tests only: the same format, about 1 ms per hash. Never use it in production. */
export const TEST_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = "scrypt";

/**
 * A valid hash (at `DEFAULT_SCRYPT_PARAMS`) of a random password nobody knows. Checking a
 * password against it costs what a real check costs and never succeeds.
 */
export const DUMMY_HASH = "scrypt$32768$8$1$MU3Jt9JbKgS5pVbemBt2mQ$vXbPMbTtD6x9ngMWMYvdxcgpdMoWTmqM7xmUi00Y6pM";

function derive(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is exactly N=2^15, r=8,
  // which it rejects, so allow twice the requirement.
  const maxmem = 2 * 128 * params.N * params.r * params.p;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keyLength, { ...params, maxmem }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== PREFIX) throw new Error("unrecognised password hash format");
  const [N, r, p] = parts.slice(1, 4).map((s) => Number.parseInt(s, 10));
  const salt = Buffer.from(parts[4], "base64");
  const hash = Buffer.from(parts[5], "base64");
  // The string comes from our own database, but a corrupt row must not make us allocate
  // gigabytes: keep the parameters within sane bounds.
  const saneN = Number.isInteger(N) && N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0;
  const saneRP = Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
  if (!saneN || !saneRP || salt.length < 8 || hash.length < 16) throw new Error("corrupt password hash");
  return { params: { N, r, p }, salt, hash };
}

/**
 * Hashes a password with scrypt and a fresh 16-byte salt. The result is self-describing
 * (`scrypt$N$r$p$salt$hash`, unpadded base64), so parameters can be raised later without
 * breaking stored hashes. Pass `TEST_SCRYPT_PARAMS` in tests to keep them fast.
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, params);
  const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");
  return [PREFIX, params.N, params.r, params.p, b64(salt), b64(hash)].join("$");
}

/**
 * True when `password` matches a hash from `hashPassword`, using the parameters stored in
 * the hash and a constant-time comparison. Throws on a malformed stored hash (a server fault).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, hash } = parseHash(stored);
  const candidate = await derive(password, salt, hash.length, params);
  return timingSafeEqual(candidate, hash);
}

/** True when `stored` was made with other parameters than `params`: rehash it after a good login. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parseHash(stored);
  return parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
}

/**
 * A well-formed hash at `params` that no password matches (in practice): a fixed salt and an
 * all-zero key. `DUMMY_HASH` for the default parameters.
 */
export function dummyHashFor(params: ScryptParams): string {
  if (!needsRehash(DUMMY_HASH, params)) return DUMMY_HASH;
  const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");
  return [PREFIX, params.N, params.r, params.p, b64(Buffer.alloc(SALT_BYTES, 7)), b64(Buffer.alloc(KEY_BYTES))].join("$");
}

/**
 * Spends the time of one password check and returns false. Call it when the account does not
 * exist (or has no password) so that response time does not reveal which emails are registered.
 * Pass the same `params` real hashes are made with, so both paths cost the same.
 */
export async function burnPasswordCheck(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<false> {
  await verifyPassword(password, dummyHashFor(params));
  return false;
}
