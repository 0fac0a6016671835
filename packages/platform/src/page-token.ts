import { createHash } from "node:crypto";
import { invalid } from "./domain-error.js";
import { isUuid } from "./ids.js";

/** The sort key of the last row of a page: keyset pagination resumes after (at, id). */
export interface PageCursor {
  at: Date;
  id: string;
}

/**
 * A fingerprint of a scope: the first 8 bytes of its SHA-256. The scope may hold user data
 * (an email prefix) and the token is readable, so only the hash travels. It is not a MAC: a
 * client can forge a token for any scope, which gains nothing, since the cursor only says
 * where to resume and the query's own filters and access checks still apply.
 */
function scopeHash(scope: string): string {
  return createHash("sha256").update(scope, "utf8").digest().subarray(0, 8).toString("base64url");
}

/**
 * An opaque keyset token (base64url JSON): the sort keys of the last row, then the hash of
 * `scope`, which describes the request's other parameters (parent, filters, order; not the page
 * size, per AIP-158), e.g. `JSON.stringify([propertyId, status])`. Every paged list builds its
 * tokens on this pair, so they are bound to their query the same way.
 */
export function encodeKeysetToken(keys: readonly (string | number)[], scope?: string): string {
  return Buffer.from(JSON.stringify(scope === undefined ? keys : [...keys, scopeHash(scope)])).toString("base64url");
}

/**
 * Reads a token from `encodeKeysetToken` with `arity` keys, which `read` checks and turns into
 * the cursor (undefined: not a cursor of this list), made with the same `scope` (AIP-158).
 * Anything else is an "invalid" page_token error; a well-formed token from another scope says
 * so, without repeating either scope.
 */
export function decodeKeysetToken<T>(token: string, method: string, scope: string | undefined, arity: number, read: (keys: unknown[]) => T | undefined): T {
  const bad = () => invalid("page_token", `is not a token from a previous ${method} call`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length < arity || parsed.length > arity + 1) throw bad();
  const hash: unknown = parsed[arity];
  if (parsed.length > arity && typeof hash !== "string") throw bad();
  const cursor = read(parsed.slice(0, arity));
  if (cursor === undefined) throw bad();
  // A token without a hash (made before scopes) passes only an unscoped call; every caller now
  // passes a scope, so they are refused. Tokens last one listing session; the client starts over.
  if (hash !== (scope === undefined ? undefined : scopeHash(scope))) {
    const retry = "repeat the other parameters of the call that returned it, or start over without a page_token";
    throw invalid("page_token", `belongs to a different ${method} query: ${retry}`);
  }
  return cursor;
}

/** A page token for the row `last` of a list in (at, id) order, bound to `scope` (see encodeKeysetToken). */
export function encodePageToken(last: PageCursor, scope?: string): string {
  return encodeKeysetToken([last.at.toISOString(), last.id], scope);
}

/** Reads a token from `encodePageToken` made with the same `scope`; anything else is an "invalid" page_token error. */
export function decodePageToken(token: string, method: string, scope?: string): PageCursor {
  return decodeKeysetToken(token, method, scope, 2, ([at, id]) => {
    const date = typeof at === "string" ? new Date(at) : undefined;
    return date !== undefined && !Number.isNaN(date.getTime()) && isUuid(id) ? { at: date, id } : undefined;
  });
}

/** A page size from a request: 0 or absent means `fallback`; never more than `max`. */
export function pageSize(asked: number | undefined, fallback: number, max: number): number {
  const n = asked !== undefined && asked > 0 ? Math.floor(asked) : fallback;
  return Math.min(n, max);
}
