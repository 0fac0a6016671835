import { DomainError, notFound } from "@triphub/platform/domain-error";
import { and, arrayContains, desc, eq, like, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { isRole, normalizeEmail, normalizeRoles } from "../domain/user.js";
import type { NewUser, Role, User } from "../domain/user.js";
import { isUuid } from "@triphub/platform/ids";
import { isUniqueViolation, timestamptz } from "@triphub/platform/store-helpers";
import type { AuthDb } from "./db.js";
import { decodePageToken, encodePageToken, pageSize } from "@triphub/platform/page-token";
import { users } from "./schema.js";

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
  /** Replaces the password hash; "not_found" for an unknown user. */
  setPassword(userId: string, passwordHash: string, now: Date): Promise<void>;
  /**
   * Loads the user FOR UPDATE, applies `change` and saves the result, in one transaction; a
   * DomainError thrown by `change` rolls back and propagates. "not_found" for an unknown user.
   */
  updateUser(id: string, change: (user: User) => User): Promise<User>;
  /** Replaces the roles (GUEST always kept) and returns the updated user. */
  setRoles(userId: string, roles: readonly Role[], now: Date): Promise<User>;
  /** Users newest first by (created_at, id), with keyset pagination. */
  list(query: ListUsersQuery): Promise<UserPage>;
}

type UserRow = typeof users.$inferSelect;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    phone: row.phone,
    locale: row.locale,
    roles: normalizeRoles(row.roles.filter(isRole)),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const emailTaken = () => new DomainError("already_exists", "an account with this email already exists");

/** LIKE treats % and _ as wildcards; a prefix is literal text. */
function likePrefix(prefix: string): string {
  return `${normalizeEmail(prefix).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The user store over `db`. */
export function createUserStore(db: AuthDb): UserStore {
  // Every authenticated call that shows a user reads it by id: built once, not per call
  // (drizzle rebuilding this SELECT was ~6% of auth's CPU under load).
  const byId = db.select().from(users).where(eq(users.id, sql.placeholder("id"))).prepare("auth_user_by_id");

  async function findById(id: string): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await byId.execute({ id });
    return row ? toUser(row) : undefined;
  }

  async function updateUser(id: string, change: (user: User) => User): Promise<User> {
    if (!isUuid(id)) throw notFound("user", id);
    try {
      return await db.transaction(async (tx) => {
        const [row] = await tx.select().from(users).where(eq(users.id, id)).for("update");
        if (!row) throw notFound("user", id);
        const next = change(toUser(row));
        const [saved] = await tx
          .update(users)
          .set({
            email: next.email,
            emailNormalized: normalizeEmail(next.email),
            displayName: next.displayName,
            phone: next.phone,
            locale: next.locale,
            roles: normalizeRoles(next.roles),
            updatedAt: next.updatedAt,
          })
          .where(eq(users.id, id))
          .returning();
        return toUser(saved);
      });
    } catch (err) {
      if (isUniqueViolation(err, "users_email_normalized_key")) throw emailTaken();
      throw err;
    }
  }

  return {
    async insert(user, passwordHash) {
      try {
        const [row] = await db
          .insert(users)
          .values({
            email: user.email,
            emailNormalized: normalizeEmail(user.email),
            passwordHash: passwordHash ?? null,
            displayName: user.displayName,
            phone: user.phone,
            locale: user.locale,
            roles: normalizeRoles(user.roles),
            createdAt: user.createdAt,
            updatedAt: user.updatedAt,
          })
          .returning();
        return toUser(row);
      } catch (err) {
        // No cause attached: the driver error carries the email and the hash as parameters.
        if (isUniqueViolation(err, "users_email_normalized_key")) throw emailTaken();
        throw err;
      }
    },

    async findByEmail(email) {
      const [row] = await db.select().from(users).where(eq(users.emailNormalized, normalizeEmail(email)));
      return row ? toUser(row) : undefined;
    },

    findById,

    async getPasswordHash(userId) {
      if (!isUuid(userId)) return undefined;
      const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
      return row?.hash ?? undefined;
    },

    async setPassword(userId, passwordHash, now) {
      if (!isUuid(userId)) throw notFound("user", userId);
      const rows = await db
        .update(users)
        .set({ passwordHash, updatedAt: now })
        .where(eq(users.id, userId))
        .returning({ id: users.id });
      if (rows.length === 0) throw notFound("user", userId);
    },

    updateUser,

    setRoles(userId, roles, now) {
      return updateUser(userId, (u) => ({ ...u, roles: normalizeRoles(roles), updatedAt: now }));
    },

    async list(query) {
      const size = pageSize(query.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      const filters: SQL[] = [];
      if (query.role) filters.push(arrayContains(users.roles, [query.role]));
      if (query.emailPrefix) filters.push(like(users.emailNormalized, likePrefix(query.emailPrefix)));
      // The prefix as matched: "Ann" and "ann" are one query, so their tokens are interchangeable.
      const scope = JSON.stringify([query.role ?? null, query.emailPrefix ? normalizeEmail(query.emailPrefix) : null]);
      if (query.pageToken) {
        const after = decodePageToken(query.pageToken, "ListUsers", scope);
        filters.push(sql`(${users.createdAt}, ${users.id}) < (${timestamptz(after.at)}, ${after.id}::uuid)`);
      }
      // One row more than the page tells whether another page follows.
      const rows = await db
        .select()
        .from(users)
        .where(and(...filters))
        .orderBy(desc(users.createdAt), desc(users.id))
        .limit(size + 1);
      const page = rows.slice(0, size).map(toUser);
      const last = page[page.length - 1];
      const nextPageToken = rows.length > size && last ? encodePageToken({ at: last.createdAt, id: last.id }, scope) : "";
      return { users: page, nextPageToken };
    },
  };
}
