import { createHash, randomBytes } from "node:crypto";

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
  | { kind: "reuse"; familyId: string }
  | { kind: "invalid" };

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

/**
 * Decides a refresh attempt. Unknown or expired tokens are "invalid". A token that was already
 * spent, or whose family was revoked, is "reuse": someone holds a copy, so the whole family
 * must be revoked. This holds even when the spent token has since expired, because a replay
 * is evidence of theft whenever it happens. Otherwise "rotate".
 */
export function judgeRefresh(token: StoredRefreshToken | undefined, now: Date): RefreshDecision {
  if (token === undefined) return { kind: "invalid" };
  if (token.usedAt !== undefined || token.revokedAt !== undefined) {
    return { kind: "reuse", familyId: token.familyId };
  }
  if (token.expiresAt.getTime() <= now.getTime()) return { kind: "invalid" };
  return { kind: "rotate" };
}
