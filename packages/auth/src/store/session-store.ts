import { randomUUID } from "node:crypto";
import { DomainError } from "@triphub/platform/domain-error";
import { and, eq, gt, inArray, isNotNull, isNull, lt, ne } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import {
  hashRefreshSecret,
  judgeRefresh,
  newRefreshSecret,
  openSuccessorSecret,
  sealSuccessorSecret,
} from "../domain/refresh-token.js";
import type { StoredRefreshToken } from "../domain/refresh-token.js";
import { isUuid } from "@triphub/platform/ids";
import type { Alongside, AuthDb, AuthTx } from "./db.js";
import { refreshTokens } from "./schema.js";

/** A new session (refresh-token family), or a new token in an existing one. */
export interface NewRefreshToken {
  userId: string;
  /** Seconds until the token expires. */
  ttlSeconds: number;
  now: Date;
  /** Continue this family; absent starts a new session with a fresh family id. */
  familyId?: string;
  /** The token this one replaces. */
  parentId?: string;
}

/** A refresh token just issued. `secret` is shown to the client once and never stored. */
export interface IssuedRefreshToken {
  secret: string;
  /** The session id: put it in the access token's `sid`. */
  familyId: string;
  expiresAt: Date;
}

/** The result of a successful rotation: the new token and whose session it is. */
export interface RotatedRefreshToken extends IssuedRefreshToken {
  userId: string;
}

/** A session a revocation ended: whose, and which. */
export interface EndedSession {
  userId: string;
  familyId: string;
}

/** Refresh tokens (sessions) with rotation and reuse detection. */
export interface SessionStore {
  /** Issues a refresh token; only its hash is stored. */
  create(input: NewRefreshToken): Promise<IssuedRefreshToken>;
  /**
   * Spends `secret` and issues its successor in the same family, in one transaction with the
   * row locked. A spent or revoked token revokes its whole family; it, an unknown and an expired
   * token all throw "unauthenticated". The exception is a retry: the token spent last in its
   * family, presented again within `REFRESH_RETRY_GRACE_MS`, returns the same successor (so two
   * concurrent rotations of one token both get it). `onReuse` runs in the transaction that
   * revokes a family for reuse, so what it writes commits with the revocation.
   */
  rotate(secret: string, now: Date, ttlSeconds: number, onReuse?: Alongside<EndedSession>): Promise<RotatedRefreshToken>;
  /**
   * Logout: revokes the family `secret` belongs to and resolves to it; an unknown (or already
   * ended) session is a no-op resolving to undefined. `alongside` commits with the revocation.
   */
  revokeFamilyOf(secret: string, now: Date, alongside?: Alongside<EndedSession | undefined>): Promise<EndedSession | undefined>;
  /** Revokes every live session of a user, except `exceptFamilyId`; returns the tokens revoked. */
  revokeAllForUser(userId: string, now: Date, exceptFamilyId?: string): Promise<number>;
  /**
   * Deletes up to `limit` tokens that expired more than a day before `now`; returns how many.
   * Spent tokens are kept to catch their reuse, but an expired one is refused whatever its
   * history, so past expiry (and a day's grace, so the answer to a just-expired token does not
   * change) there is nothing left to detect.
   */
  purgeExpired(now: Date, limit: number): Promise<number>;
  /**
   * Whether session `familyId` of `userId` is live: it exists and was not revoked. Access tokens
   * carry it as `sid`; one of an ended session must be refused before it expires.
   */
  isActive(familyId: string, userId: string): Promise<boolean>;
  /** The sessions revoked after `since` (to copy into the shared revocation list). */
  revokedSince(since: Date): Promise<string[]>;
}

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /**
   * Told the sessions each revocation ended, after it committed (logout, password change,
   * reuse detected), so their access tokens can be refused before they expire. Must not throw.
   */
  onRevoked?: (familyIds: string[]) => Promise<void>;
}

const noLongerValid = () => new DomainError("unauthenticated", "refresh token is no longer valid");

type TokenRow = typeof refreshTokens.$inferSelect;

function toStored(row: TokenRow): StoredRefreshToken {
  return {
    id: row.id,
    userId: row.userId,
    familyId: row.familyId,
    parentId: row.parentId ?? undefined,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt ?? undefined,
    revokedAt: row.revokedAt ?? undefined,
    createdAt: row.createdAt,
  };
}

async function insertToken(db: AuthDb | AuthTx, input: NewRefreshToken, secret = newRefreshSecret()): Promise<IssuedRefreshToken> {
  const familyId = input.familyId ?? randomUUID();
  const expiresAt = new Date(input.now.getTime() + input.ttlSeconds * 1000);
  await db.insert(refreshTokens).values({
    tokenHash: hashRefreshSecret(secret),
    familyId,
    userId: input.userId,
    parentId: input.parentId ?? null,
    expiresAt,
    createdAt: input.now,
  });
  return { secret, familyId, expiresAt };
}

/** Revokes the live tokens `where` selects; returns how many, and the families they belonged to. */
async function revokeWhere(
  db: AuthDb | AuthTx,
  where: SQL | undefined,
  now: Date,
): Promise<{ count: number; familyIds: string[]; sessions: EndedSession[] }> {
  const rows = await db
    .update(refreshTokens)
    // A revoked family grants no retries, so the sealed successors go with it.
    .set({ revokedAt: now, successorSealed: null })
    .where(and(where, isNull(refreshTokens.revokedAt)))
    .returning({ familyId: refreshTokens.familyId, userId: refreshTokens.userId });
  const sessions = new Map(rows.map((r) => [r.familyId, { familyId: r.familyId, userId: r.userId }]));
  return { count: rows.length, familyIds: [...sessions.keys()], sessions: [...sessions.values()] };
}

/** The session store over `db`. */
export function createSessionStore(db: AuthDb, opts: SessionStoreOptions = {}): SessionStore {
  const revoked = async (familyIds: string[]) => {
    if (familyIds.length > 0) await opts.onRevoked?.(familyIds);
  };
  return {
    create(input) {
      return insertToken(db, input);
    },

    async rotate(secret, now, ttlSeconds, onReuse) {
      const tokenHash = hashRefreshSecret(secret);
      // The transaction returns instead of throwing on reuse: throwing would roll back the
      // family revocation that must stick.
      let reusedFamily: string[] = [];
      const rotated = await db.transaction(async (tx): Promise<(RotatedRefreshToken & { spentParentId?: string }) | undefined> => {
        // FOR UPDATE serialises rotations of one token; a waiter re-reads the row after the
        // winner commits, sees used_at and takes the retry or the reuse path.
        const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).for("update");
        const stored = row ? toStored(row) : undefined;
        const successorSecret = row?.successorSealed ? openSuccessorSecret(row.successorSealed, secret) : undefined;
        // Not locked: a rotation of the successor would then wait for this row while holding
        // its own (deadlock); reading it as committed is enough, a retry handed a successor
        // spent a moment later gets that one's successor in the same way.
        const [successorRow] = successorSecret
          ? await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashRefreshSecret(successorSecret)))
          : [];
        const successor = successorRow ? toStored(successorRow) : undefined;
        const decision = judgeRefresh(stored, now, successor);
        switch (decision.kind) {
          case "rotate": {
            if (stored === undefined) throw new Error("judgeRefresh rotated an unknown token");
            const nextSecret = newRefreshSecret();
            await tx
              .update(refreshTokens)
              .set({ usedAt: now, successorSealed: sealSuccessorSecret(nextSecret, secret) })
              .where(eq(refreshTokens.id, stored.id));
            const next = await insertToken(
              tx,
              { userId: stored.userId, familyId: stored.familyId, parentId: stored.id, ttlSeconds, now },
              nextSecret,
            );
            return { ...next, userId: stored.userId, spentParentId: stored.parentId };
          }
          case "replay": {
            if (stored === undefined || successor === undefined || successorSecret === undefined) {
              throw new Error("judgeRefresh replayed without a successor");
            }
            return { secret: successorSecret, familyId: successor.familyId, expiresAt: successor.expiresAt, userId: successor.userId };
          }
          case "reuse": {
            reusedFamily = (await revokeWhere(tx, eq(refreshTokens.familyId, decision.familyId), now)).familyIds;
            // Recorded even when the family was already revoked: a replayed stolen token is news.
            if (stored !== undefined) await onReuse?.(tx, { userId: stored.userId, familyId: decision.familyId });
            return undefined;
          }
          case "invalid":
            return undefined;
          default: {
            const _x: never = decision;
            throw new Error(`unknown refresh decision ${JSON.stringify(_x)}`);
          }
        }
      });
      if (rotated === undefined) {
        // Committed: the stolen family's access tokens must stop working too.
        await revoked(reusedFamily);
        throw noLongerValid();
      }
      const { spentParentId, ...result } = rotated;
      if (spentParentId !== undefined) {
        // The parent can no longer be retried (its successor is spent), so its sealed copy of
        // that successor only helps someone holding both the table and the old token walk the
        // chain: drop it. After commit, because locking the parent while holding this row could
        // deadlock with a reuse of the parent revoking the family.
        await db
          .update(refreshTokens)
          .set({ successorSealed: null })
          .where(and(eq(refreshTokens.id, spentParentId), isNotNull(refreshTokens.successorSealed)));
      }
      return result;
    },

    async revokeFamilyOf(secret, now, alongside) {
      const revoke = async (q: AuthDb | AuthTx) => {
        const family = q
          .select({ familyId: refreshTokens.familyId })
          .from(refreshTokens)
          .where(eq(refreshTokens.tokenHash, hashRefreshSecret(secret)));
        return revokeWhere(q, inArray(refreshTokens.familyId, family), now);
      };
      const result =
        alongside === undefined
          ? await revoke(db)
          : await db.transaction(async (tx) => {
              const r = await revoke(tx);
              await alongside(tx, r.sessions[0]);
              return r;
            });
      await revoked(result.familyIds);
      return result.sessions[0];
    },

    async purgeExpired(now, limit) {
      const cutoff = new Date(now.getTime() - 86_400_000);
      const doomed = db.select({ id: refreshTokens.id }).from(refreshTokens).where(lt(refreshTokens.expiresAt, cutoff)).limit(limit);
      const rows = await db.delete(refreshTokens).where(inArray(refreshTokens.id, doomed)).returning({ id: refreshTokens.id });
      return rows.length;
    },

    async revokeAllForUser(userId, now, exceptFamilyId) {
      if (!isUuid(userId)) return 0;
      const except =
        exceptFamilyId !== undefined && isUuid(exceptFamilyId) ? ne(refreshTokens.familyId, exceptFamilyId) : undefined;
      const { count, familyIds } = await revokeWhere(db, and(eq(refreshTokens.userId, userId), except), now);
      await revoked(familyIds);
      return count;
    },

    async isActive(familyId, userId) {
      if (!isUuid(familyId) || !isUuid(userId)) return false;
      const [row] = await db
        .select({ id: refreshTokens.id })
        .from(refreshTokens)
        .where(and(eq(refreshTokens.familyId, familyId), eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
        .limit(1);
      return row !== undefined;
    },

    async revokedSince(since) {
      const rows = await db.selectDistinct({ familyId: refreshTokens.familyId }).from(refreshTokens).where(gt(refreshTokens.revokedAt, since));
      return rows.map((r) => r.familyId);
    },
  };
}
