import { DomainError } from "@triphub/platform/domain-error";
import { randomUUID } from "node:crypto";
import type { Sealer } from "@triphub/platform/sealing";
import { isUniqueViolation } from "@triphub/platform/store-helpers";
import { and, eq, gt, inArray, lte } from "drizzle-orm";
import { normalizeRoles, type NewUser } from "../domain/user.js";
import type { Alongside, AuthDb } from "./db.js";
import { oauthIdentities, oauthLinkTokens, oauthLoginStates, users } from "./schema.js";
import { EMAIL_UNIQUE } from "./user-store.js";
import { sealedUserColumns } from "./user-sealing.js";

/** A started social login, as StartOAuthLogin stored it. */
export interface StoredLoginState {
  provider: string;
  redirectUri: string;
  nonce: string;
  codeVerifier: string;
  expiresAt: Date;
}

/** A provider identity waiting for the password of the account its email matched. */
export interface StoredLinkToken {
  userId: string;
  provider: string;
  subject: string;
  expiresAt: Date;
}

/** A provider's subject: the identity social login signs in with. */
export interface ProviderSubject {
  provider: string;
  subject: string;
}

/** Social login's tables: started logins, linked identities and pending links. */
export interface OAuthStore {
  saveLoginState(stateHash: string, state: StoredLoginState): Promise<void>;
  /** Deletes and returns the login started with this state: a state is spent by its first use. */
  takeLoginState(stateHash: string): Promise<StoredLoginState | undefined>;
  findLinkedUserId(identity: ProviderSubject): Promise<string | undefined>;
  /**
   * Creates a password-less account and links the identity to it, in one transaction.
   * "already_exists" when the email was taken meanwhile; "conflict" when the identity was.
   */
  createLinkedAccount(user: NewUser, identity: ProviderSubject, alongside?: Alongside<string>): Promise<string>;
  saveLinkToken(tokenHash: string, link: StoredLinkToken): Promise<void>;
  /** The pending link, unless unknown, spent or expired at `now`. */
  findLinkToken(tokenHash: string, now: Date): Promise<StoredLinkToken | undefined>;
  /**
   * Spends the link token and links its identity to its account, in one transaction. Undefined
   * when it was spent (or expired) meanwhile; "conflict" when the identity is linked elsewhere.
   */
  spendLinkToken(tokenHash: string, now: Date, alongside?: Alongside<StoredLinkToken>): Promise<StoredLinkToken | undefined>;
  /** Deletes up to `limit` expired login states and link tokens; resolves to how many went. */
  purgeExpired(now: Date, limit: number): Promise<number>;
}

const identityTaken = () =>
  new DomainError("conflict", "this provider account was linked by another request at the same time; sign in again");

/** The social login store over `db`; new accounts' email and phone are sealed with `sealer`. */
export function createOAuthStore(db: AuthDb, sealer: Sealer): OAuthStore {
  return {
    async saveLoginState(stateHash, s) {
      await db.insert(oauthLoginStates).values({ stateHash, ...s });
    },

    async takeLoginState(stateHash) {
      // DELETE ... RETURNING: of two requests racing with one state, exactly one gets the row.
      const [row] = await db.delete(oauthLoginStates).where(eq(oauthLoginStates.stateHash, stateHash)).returning();
      return row && { provider: row.provider, redirectUri: row.redirectUri, nonce: row.nonce, codeVerifier: row.codeVerifier, expiresAt: row.expiresAt };
    },

    async findLinkedUserId({ provider, subject }) {
      const [row] = await db
        .select({ userId: oauthIdentities.userId })
        .from(oauthIdentities)
        .where(and(eq(oauthIdentities.provider, provider), eq(oauthIdentities.subject, subject)));
      return row?.userId;
    },

    async createLinkedAccount(user, identity, alongside) {
      try {
        return await db.transaction(async (tx) => {
          const id = randomUUID();
          const [row] = await tx
            .insert(users)
            .values({
              id,
              ...sealedUserColumns(sealer, id, user),
              passwordHash: null,
              displayName: user.displayName,
              locale: user.locale,
              roles: normalizeRoles(user.roles),
              createdAt: user.createdAt,
              updatedAt: user.updatedAt,
            })
            .returning({ id: users.id });
          await tx.insert(oauthIdentities).values({ ...identity, userId: row.id, createdAt: user.createdAt });
          await alongside?.(tx, row.id);
          return row.id;
        });
      } catch (err) {
        // No cause attached: the driver error carries the email as a parameter.
        if (isUniqueViolation(err, EMAIL_UNIQUE)) {
          throw new DomainError("already_exists", "an account with this email already exists");
        }
        if (isUniqueViolation(err, "oauth_identities_pkey")) throw identityTaken();
        throw err;
      }
    },

    async saveLinkToken(tokenHash, link) {
      await db.insert(oauthLinkTokens).values({ tokenHash, ...link });
    },

    async findLinkToken(tokenHash, now) {
      const [row] = await db
        .select()
        .from(oauthLinkTokens)
        .where(and(eq(oauthLinkTokens.tokenHash, tokenHash), gt(oauthLinkTokens.expiresAt, now)));
      return row && { userId: row.userId, provider: row.provider, subject: row.subject, expiresAt: row.expiresAt };
    },

    async spendLinkToken(tokenHash, now, alongside) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .delete(oauthLinkTokens)
          .where(and(eq(oauthLinkTokens.tokenHash, tokenHash), gt(oauthLinkTokens.expiresAt, now)))
          .returning();
        if (!row) return undefined;
        const identity = { provider: row.provider, subject: row.subject };
        const linked = await tx
          .insert(oauthIdentities)
          .values({ ...identity, userId: row.userId, createdAt: now })
          .onConflictDoNothing()
          .returning({ userId: oauthIdentities.userId });
        if (linked.length === 0) {
          // Linked meanwhile: fine if to this account; otherwise roll back (the token stays unspent).
          const [owner] = await tx
            .select({ userId: oauthIdentities.userId })
            .from(oauthIdentities)
            .where(and(eq(oauthIdentities.provider, identity.provider), eq(oauthIdentities.subject, identity.subject)));
          if (owner?.userId !== row.userId) throw identityTaken();
        }
        const spent = { userId: row.userId, ...identity, expiresAt: row.expiresAt };
        await alongside?.(tx, spent);
        return spent;
      });
    },

    async purgeExpired(now, limit) {
      const states = db.select({ k: oauthLoginStates.stateHash }).from(oauthLoginStates).where(lte(oauthLoginStates.expiresAt, now)).limit(limit);
      const gone = await db.delete(oauthLoginStates).where(inArray(oauthLoginStates.stateHash, states)).returning({ k: oauthLoginStates.stateHash });
      const links = db.select({ k: oauthLinkTokens.tokenHash }).from(oauthLinkTokens).where(lte(oauthLinkTokens.expiresAt, now)).limit(limit - gone.length);
      const spent = gone.length < limit ? await db.delete(oauthLinkTokens).where(inArray(oauthLinkTokens.tokenHash, links)).returning({ k: oauthLinkTokens.tokenHash }) : [];
      return gone.length + spent.length;
    },
  };
}
