import { decodePageToken, encodePageToken, pageSize } from "@triphub/platform/page-token";
import { isUuid } from "@triphub/platform/ids";
import { notFound } from "@triphub/platform/domain-error";
import { timestamptz } from "@triphub/platform/store-helpers";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { ApiKey, NewApiKey } from "../domain/api-key.js";
import { type Alongside, type AuthDb, type AuthTx, withAlongside } from "./db.js";
import { apiKeys } from "./schema.js";

/** ListApiKeys page size when the caller asks for 0. */
export const DEFAULT_API_KEY_PAGE_SIZE = 20;
/** The largest page ListApiKeys returns. */
export const MAX_API_KEY_PAGE_SIZE = 100;

// last_use_time is for people ("is this key still used?"), not an audit trail: one write a
// minute per key keeps a busy partner from turning every verification into an UPDATE.
const LAST_USE_RESOLUTION_MS = 60_000;

/** A key with the hash its secret is checked against. */
export type ApiKeyWithHash = ApiKey & { secretHash: string };

/** One page of a user's keys, newest first; `nextPageToken` is "" on the last page. */
export interface ApiKeyPage {
  keys: ApiKey[];
  nextPageToken: string;
}

/** Partner API keys. Secrets never reach it: only their hashes. */
export interface ApiKeyStore {
  /** Inserts a key; `alongside` commits with it. */
  insert(key: NewApiKey, alongside?: Alongside<ApiKey>): Promise<ApiKey>;
  findById(id: string): Promise<ApiKey | undefined>;
  /** The key a secret's public id names, with its hash, to check the secret against. */
  findByPublicId(publicId: string): Promise<ApiKeyWithHash | undefined>;
  /** `userId`'s keys newest first by (created_at, id), with keyset page tokens. */
  listForUser(userId: string, page: { pageSize?: number; pageToken?: string }): Promise<ApiKeyPage>;
  /** Sets revoked_at unless already set; returns the key. "not_found" for an unknown id. */
  revoke(id: string, now: Date, alongside?: Alongside<ApiKey>): Promise<ApiKey>;
  /**
   * In one transaction with the old key locked: `decide` returns when the old key stops
   * working (or throws), the successor is inserted and the old key marked replaced.
   */
  rotate(
    id: string,
    successor: Omit<NewApiKey, "createdAt">,
    now: Date,
    decide: (old: ApiKey) => Date,
    alongside?: Alongside<{ previous: ApiKey; next: ApiKey }>,
  ): Promise<{ previous: ApiKey; next: ApiKey }>;
  /**
   * Records a use at `now`, at most once a minute per key: resolves to whether this call wrote
   * it (the first use, or the first a minute or more after the last written), and only then
   * runs `alongside`, in the same transaction. Of racing instances exactly one writes.
   */
  touch(id: string, now: Date, alongside?: Alongside<void>): Promise<boolean>;
}

type Row = typeof apiKeys.$inferSelect;

function toApiKey(row: Row): ApiKey {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    publicId: row.publicId,
    scopes: row.scopes,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt ?? undefined,
    revokedAt: row.revokedAt ?? undefined,
    lastUsedAt: row.lastUsedAt ?? undefined,
    replacedBy: row.replacedBy ?? undefined,
  };
}

const rowOf = (key: NewApiKey) => ({
  userId: key.userId,
  name: key.name,
  publicId: key.publicId,
  secretHash: key.secretHash,
  scopes: key.scopes,
  createdBy: key.createdBy,
  createdAt: key.createdAt,
  expiresAt: key.expiresAt ?? null,
});

/** The API key store over `db`. */
export function createApiKeyStore(db: AuthDb): ApiKeyStore {
  return {
    insert(key, alongside) {
      return withAlongside(
        db,
        async (q) => {
          const [row] = await q.insert(apiKeys).values(rowOf(key)).returning();
          return toApiKey(row!);
        },
        alongside,
      );
    },

    async findById(id) {
      if (!isUuid(id)) return undefined;
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
      return row ? toApiKey(row) : undefined;
    },

    async findByPublicId(publicId) {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.publicId, publicId));
      return row ? { ...toApiKey(row), secretHash: row.secretHash } : undefined;
    },

    async listForUser(userId, page) {
      const size = pageSize(page.pageSize, DEFAULT_API_KEY_PAGE_SIZE, MAX_API_KEY_PAGE_SIZE);
      // The owner is part of the query: a token from one user's list does not page another's.
      const scope = JSON.stringify([userId]);
      const filters: SQL[] = [eq(apiKeys.userId, userId)];
      if (page.pageToken) {
        const after = decodePageToken(page.pageToken, "ListApiKeys", scope);
        filters.push(sql`(${apiKeys.createdAt}, ${apiKeys.id}) < (${timestamptz(after.at)}, ${after.id}::uuid)`);
      }
      const rows = await db
        .select()
        .from(apiKeys)
        .where(and(...filters))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
        .limit(size + 1);
      const keys = rows.slice(0, size).map(toApiKey);
      const last = keys[keys.length - 1];
      return { keys, nextPageToken: rows.length > size && last ? encodePageToken({ at: last.createdAt, id: last.id }, scope) : "" };
    },

    async revoke(id, now, alongside) {
      if (!isUuid(id)) throw notFound("API key", id);
      return withAlongside(
        db,
        async (q) => {
          const [row] = await q
            .update(apiKeys)
            .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${timestamptz(now)})` })
            .where(eq(apiKeys.id, id))
            .returning();
          if (!row) throw notFound("API key", id);
          return toApiKey(row);
        },
        alongside,
      );
    },

    async rotate(id, successor, now, decide, alongside) {
      if (!isUuid(id)) throw notFound("API key", id);
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
        if (!row) throw notFound("API key", id);
        const oldEnds = decide(toApiKey(row));
        const [next] = await tx
          .insert(apiKeys)
          .values(rowOf({ ...successor, createdAt: now }))
          .returning();
        const [previous] = await tx
          .update(apiKeys)
          .set({ replacedBy: next!.id, expiresAt: oldEnds })
          .where(eq(apiKeys.id, id))
          .returning();
        const rotated = { previous: toApiKey(previous!), next: toApiKey(next!) };
        await alongside?.(tx, rotated);
        return rotated;
      });
    },

    async touch(id, now, alongside) {
      const stale = new Date(now.getTime() - LAST_USE_RESOLUTION_MS);
      const touch = (q: AuthDb | AuthTx) =>
        q
          .update(apiKeys)
          .set({ lastUsedAt: now })
          .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))))
          .returning({ id: apiKeys.id });
      if (alongside === undefined) return (await touch(db)).length > 0;
      return db.transaction(async (tx) => {
        const wrote = (await touch(tx)).length > 0;
        if (wrote) await alongside(tx);
        return wrote;
      });
    },
  };
}
