import { randomUUID } from "node:crypto";
import { DomainError, notFound } from "@triphub/platform/domain-error";
import type { Sealer } from "@triphub/platform/sealing";
import { and, arrayContains, desc, eq, isNull, not, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { isRole, normalizeEmail, normalizeRoles } from "../domain/user.js";
import type { NewUser, Role, User } from "../domain/user.js";
import { isUuid } from "@triphub/platform/ids";
import { isUniqueViolation, timestamptz } from "@triphub/platform/store-helpers";
import { type Alongside, type AuthDb, withAlongside } from "./db.js";
import { decodePageToken, encodePageToken, pageSize } from "@triphub/platform/page-token";
import { users } from "./schema.js";
import { emailIndex, emailPrefixToken, openUserColumns, sealedUserColumns } from "./user-sealing.js";

/** ListUsers page size when the caller asks for 0 (AIP-158: the server picks). */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page ListUsers returns, whatever the caller asks. */
export const MAX_PAGE_SIZE = 200;

/** Filters and paging of `UserStore.list`. */
export interface ListUsersQuery {
  /** 0 or absent: `DEFAULT_PAGE_SIZE`; capped at `MAX_PAGE_SIZE`. */
  pageSize?: number;
  /** `nextPageToken` of the previous page with the same filters (else "invalid"); "" or absent for the first page. */
  pageToken?: string;
  /** Only users that have this role. */
  role?: Role;
  /** Only users whose email starts with this, case-insensitively. */
  emailPrefix?: string;
}

/** One page of users, newest first; `nextPageToken` is "" on the last page. */
export interface UserPage {
  users: User[];
  nextPageToken: string;
}

/** Accounts and their password hashes. Every method takes and returns domain types. */
export interface UserStore {
  /** Inserts an account; an email already registered (case-insensitively) is "already_exists". */
  insert(user: NewUser, passwordHash: string | undefined): Promise<User>;
  findByEmail(email: string): Promise<User | undefined>;
  findById(id: string): Promise<User | undefined>;
  /** The stored password hash, or undefined for an unknown user or one without a password. */
  getPasswordHash(userId: string): Promise<string | undefined>;
  /** Replaces the password hash; "not_found" for an unknown user. `alongside` commits with it. */
  setPassword(userId: string, passwordHash: string, now: Date, alongside?: Alongside<void>): Promise<void>;
  /**
   * Loads the user FOR UPDATE, applies `change` and saves the result, in one transaction; a
   * DomainError thrown by `change` rolls back and propagates. "not_found" for an unknown user.
   * `alongside` runs in the same transaction with the user before and after.
   */
  updateUser(id: string, change: (user: User) => User, alongside?: Alongside<UserChange>): Promise<User>;
  /** Replaces the roles (GUEST always kept) and returns the updated user; `alongside` as in `updateUser`. */
  setRoles(userId: string, roles: readonly Role[], now: Date, alongside?: Alongside<UserChange>): Promise<User>;
  /** Users newest first by (created_at, id), with keyset pagination. */
  list(query: ListUsersQuery): Promise<UserPage>;
  /**
   * Seals up to `limit` accounts whose email or phone is in clear (stored before sealing) or
   * sealed with another data key than `currentKeyId`; resolves to how many it sealed. The
   * re-encrypt job's step, also run to the end at start.
   */
  reseal(currentKeyId: string, limit: number): Promise<number>;
}

/** A user before and after a change, for what must commit with it. */
export interface UserChange {
  before: User;
  after: User;
}

type UserRow = typeof users.$inferSelect;

function toDomainUser(sealer: Sealer, row: UserRow): User {
  const { email, phone } = openUserColumns(sealer, row.id, row);
  return {
    id: row.id,
    email,
    displayName: row.displayName,
    phone,
    locale: row.locale,
    roles: normalizeRoles(row.roles.filter(isRole)),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const emailTaken = () => new DomainError("already_exists", "an account with this email already exists");

/** The unique index that keeps emails unique (the blind index of the normalised email). */
export const EMAIL_UNIQUE = "users_email_index_key";

/** The user store over `db`; emails and phones are sealed and opened with `sealer`. */
export function createUserStore(db: AuthDb, sealer: Sealer): UserStore {
  const toUser = (row: UserRow) => toDomainUser(sealer, row);
  // Every authenticated call that shows a user reads it by id: built once, not per call
  // (drizzle rebuilding this SELECT was ~6% of auth's CPU under load).
  const byId = db.select().from(users).where(eq(users.id, sql.placeholder("id"))).prepare("auth_user_by_id");

  async function findById(id: string): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await byId.execute({ id });
    return row ? toUser(row) : undefined;
  }

  async function updateUser(id: string, change: (user: User) => User, alongside?: Alongside<UserChange>): Promise<User> {
    if (!isUuid(id)) throw notFound("user", id);
    try {
      return await db.transaction(async (tx) => {
        const [row] = await tx.select().from(users).where(eq(users.id, id)).for("update");
        if (!row) throw notFound("user", id);
        const before = toUser(row);
        const next = change(before);
        const [saved] = await tx
          .update(users)
          .set({
            ...sealedUserColumns(sealer, id, next),
            displayName: next.displayName,
            locale: next.locale,
            roles: normalizeRoles(next.roles),
            updatedAt: next.updatedAt,
          })
          .where(eq(users.id, id))
          .returning();
        const after = toUser(saved);
        await alongside?.(tx, { before, after });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err, EMAIL_UNIQUE)) throw emailTaken();
      throw err;
    }
  }

  return {
    async insert(user, passwordHash) {
      try {
        // The id is chosen here: the sealed values are bound to it.
        const id = randomUUID();
        const [row] = await db
          .insert(users)
          .values({
            id,
            ...sealedUserColumns(sealer, id, user),
            passwordHash: passwordHash ?? null,
            displayName: user.displayName,
            locale: user.locale,
            roles: normalizeRoles(user.roles),
            createdAt: user.createdAt,
            updatedAt: user.updatedAt,
          })
          .returning();
        return toUser(row);
      } catch (err) {
        // No cause attached: the driver error carries the email and the hash as parameters.
        if (isUniqueViolation(err, EMAIL_UNIQUE)) throw emailTaken();
        throw err;
      }
    },

    async findByEmail(email) {
      const [row] = await db.select().from(users).where(eq(users.emailIndex, emailIndex(sealer, email)));
      return row ? toUser(row) : undefined;
    },

    findById,

    async getPasswordHash(userId) {
      if (!isUuid(userId)) return undefined;
      const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
      return row?.hash ?? undefined;
    },

    async setPassword(userId, passwordHash, now, alongside) {
      if (!isUuid(userId)) throw notFound("user", userId);
      await withAlongside(
        db,
        async (q) => {
          const rows = await q
            .update(users)
            .set({ passwordHash, updatedAt: now })
            .where(eq(users.id, userId))
            .returning({ id: users.id });
          if (rows.length === 0) throw notFound("user", userId);
        },
        alongside,
      );
    },

    updateUser,

    setRoles(userId, roles, now, alongside) {
      return updateUser(userId, (u) => ({ ...u, roles: normalizeRoles(roles), updatedAt: now }), alongside);
    },

    async list(query) {
      const size = pageSize(query.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      const prefix = query.emailPrefix ? normalizeEmail(query.emailPrefix) : "";
      const filters: SQL[] = [];
      if (query.role) filters.push(arrayContains(users.roles, [query.role]));
      // The index narrows to accounts sharing the first few characters; the opened email decides.
      if (prefix) filters.push(arrayContains(users.emailPrefixIndex, [emailPrefixToken(sealer, prefix)]));
      // The prefix as matched: "Ann" and "ann" are one query, so their tokens are interchangeable.
      const scope = JSON.stringify([query.role ?? null, prefix || null]);
      let after = query.pageToken ? decodePageToken(query.pageToken, "ListUsers", scope) : undefined;
      // One row more than the page tells whether another page follows.
      const page: User[] = [];
      const batch = prefix ? Math.max(100, size + 1) : size + 1;
      for (;;) {
        const keyset = after ? [sql`(${users.createdAt}, ${users.id}) < (${timestamptz(after.at)}, ${after.id}::uuid)`] : [];
        const rows = await db
          .select()
          .from(users)
          .where(and(...filters, ...keyset))
          .orderBy(desc(users.createdAt), desc(users.id))
          .limit(batch);
        for (const row of rows) {
          const user = toUser(row);
          if (!prefix || normalizeEmail(user.email).startsWith(prefix)) page.push(user);
          if (page.length > size) break;
        }
        const last = rows[rows.length - 1];
        if (page.length > size || rows.length < batch || !last) break;
        after = { at: last.createdAt, id: last.id };
      }
      const shown = page.slice(0, size);
      const lastShown = shown[shown.length - 1];
      const nextPageToken = page.length > size && lastShown ? encodePageToken({ at: lastShown.createdAt, id: lastShown.id }, scope) : "";
      return { users: shown, nextPageToken };
    },

    async reseal(currentKeyId, limit) {
      const onCurrentKey = `v1.${currentKeyId}.`;
      return db.transaction(async (tx) => {
        const rows = await tx
          .select()
          .from(users)
          .where(
            or(
              isNull(users.emailIndex),
              not(sql`starts_with(${users.email}, ${onCurrentKey})`),
              not(sql`starts_with(${users.phone}, ${onCurrentKey})`),
            ),
          )
          .limit(limit)
          .for("update", { skipLocked: true });
        for (const row of rows) {
          const clear = openUserColumns(sealer, row.id, row);
          await tx.update(users).set(sealedUserColumns(sealer, row.id, clear)).where(eq(users.id, row.id));
        }
        return rows.length;
      });
    },
  };
}
