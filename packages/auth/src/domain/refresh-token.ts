import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * A refresh token as stored: never the secret, only its hash. Tokens that descend from one
 * login form a family (one session); `familyId` is also the session id (`sid`) of access tokens.
 */
export interface StoredRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  /** The token this one was rotated from; undefined for the first token of a session. */
  parentId?: string;
  expiresAt: Date;
  /** Set when the token was spent on a rotation. */
  usedAt?: Date;
  /** Set when its family was revoked (logout, password change, reuse detected). */
  revokedAt?: Date;
  createdAt: Date;
}

/** What to do with a presented refresh token. */
export type RefreshDecision =
  | { kind: "rotate" }
  /** A retry of the rotation that just spent this token: hand out its successor again. */
  | { kind: "replay"; successorId: string }
  | { kind: "reuse"; familyId: string }
  | { kind: "invalid" };

/**
 * How long after a rotation the spent token may be presented again and get the same successor.
 * A client whose refresh timed out (the response was lost, or two tabs refreshed at once)
 * retries with the token it still holds; without this the retry looks like theft and signs the
 * user out. Common HTTP client timeouts are 10-30 s, so 30 s covers a retry; longer would widen
 * the time in which a stolen copy is served instead of detected.
 */
export const REFRESH_RETRY_GRACE_MS = 30_000;

/** A new opaque refresh token secret: 32 random bytes, base64url (43 characters). */
export function newRefreshSecret(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The value stored for a secret: sha256, hex. The secret has 256 bits of entropy, so a fast
 * hash is enough, and a leaked table cannot be replayed.
 */
export function hashRefreshSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/*
 * A retry must get the successor's secret again, but only hashes are stored. So the successor's
 * secret is kept sealed (AES-256-GCM) under a key derived (HKDF) from the spent token's own
 * secret, which the server never stores: only whoever presents the spent token can open it, and
 * a leaked table alone opens nothing. Deriving the successor from its predecessor instead would
 * let a stolen old token compute the whole chain; a sealed copy exists only while a retry can
 * still be honoured, and the store drops it once the successor is rotated or the family revoked.
 */
function successorSealingKey(predecessorSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", predecessorSecret, "triphub-auth", "refresh-successor-sealing", 32));
}

/** Seals `successorSecret` so that only `predecessorSecret` opens it (base64url: iv, ciphertext, tag). */
export function sealSuccessorSecret(successorSecret: string, predecessorSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", successorSealingKey(predecessorSecret), iv);
  const data = Buffer.concat([cipher.update(successorSecret, "utf8"), cipher.final()]);
  return Buffer.concat([iv, data, cipher.getAuthTag()]).toString("base64url");
}

/** Opens what {@link sealSuccessorSecret} sealed; undefined when `predecessorSecret` does not open it. */
export function openSuccessorSecret(sealed: string, predecessorSecret: string): string | undefined {
  const bytes = Buffer.from(sealed, "base64url");
  if (bytes.length < 12 + 16) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", successorSealingKey(predecessorSecret), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

const isLive = (token: StoredRefreshToken, now: Date) =>
  token.usedAt === undefined && token.revokedAt === undefined && token.expiresAt.getTime() > now.getTime();

/**
 * Decides a refresh attempt. Unknown or expired tokens are "invalid". A token that was already
 * spent, or whose family was revoked, is "reuse": someone holds a copy, so the whole family
 * must be revoked. This holds even when the spent token has since expired, because a replay
 * is evidence of theft whenever it happens. Otherwise "rotate".
 *
 * One exception makes a client's retry safe: a token spent less than
 * {@link REFRESH_RETRY_GRACE_MS} ago whose `successor` (the token it was rotated into, passed
 * only while its secret is kept for a retry) is still live is a "replay": both callers get the
 * same successor and continue one chain. Once the successor has been rotated itself, an older
 * token than the immediate predecessor, or after the window, it is reuse again.
 */
export function judgeRefresh(token: StoredRefreshToken | undefined, now: Date, successor?: StoredRefreshToken): RefreshDecision {
  if (token === undefined) return { kind: "invalid" };
  if (token.usedAt !== undefined && token.revokedAt === undefined && successor !== undefined) {
    // Negative when another instance's clock runs ahead; that is still a fresh rotation.
    const sinceRotation = now.getTime() - token.usedAt.getTime();
    if (sinceRotation < REFRESH_RETRY_GRACE_MS && successor.parentId === token.id && isLive(successor, now)) {
      return { kind: "replay", successorId: successor.id };
    }
  }
  if (token.usedAt !== undefined || token.revokedAt !== undefined) {
    return { kind: "reuse", familyId: token.familyId };
  }
  if (token.expiresAt.getTime() <= now.getTime()) return { kind: "invalid" };
  return { kind: "rotate" };
}
