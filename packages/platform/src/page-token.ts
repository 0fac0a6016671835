import { createHash } from "node:crypto";
import { invalid } from "./domain-error.js";

/** The sort key of the last row of a page: keyset pagination resumes after (at, id). */
export interface PageCursor {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A fingerprint of a scope: the first 8 bytes of its SHA-256. The scope may hold user data
 * (an email prefix) and the token is readable, so only the hash travels. It is not a MAC: a
 * client can forge a token for any scope, which gains nothing, since the cursor only says
 * where to resume and the query's own filters and access checks still apply.
 */
export function scopeHash(scope: string): string {
  return createHash("sha256").update(scope, "utf8").digest().subarray(0, 8).toString("base64url");
}

/**
 * An opaque page token (base64url JSON) for the row `last`. `scope` describes the request's
 * other parameters (parent, filters, order; not the page size, per AIP-158), e.g.
 * `JSON.stringify([propertyId, status])`; `decodePageToken` then refuses the token for any
 * other scope.
 */
export function encodePageToken(last: PageCursor, scope?: string): string {
  const fields = [last.at.toISOString(), last.id];
  if (scope !== undefined) fields.push(scopeHash(scope));
  return Buffer.from(JSON.stringify(fields)).toString("base64url");
}

/**
 * Reads a token from `encodePageToken` made with the same `scope` (AIP-158). Anything else is
 * an "invalid" page_token error; a well-formed token from another scope says so, without
 * repeating either scope.
 */
export function decodePageToken(token: string, method: string, scope?: string): PageCursor {
  const bad = () => invalid("page_token", `is not a token from a previous ${method} call`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length < 2 || parsed.length > 3) throw bad();
  const [at, id, hash]: unknown[] = parsed;
  if (typeof at !== "string" || typeof id !== "string" || !UUID.test(id)) throw bad();
  if (parsed.length === 3 && typeof hash !== "string") throw bad();
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw bad();
  // Tokens from before scopes (two elements) pass only unscoped calls; every caller now
  // passes a scope, so they are refused. Tokens last one listing session; the client starts over.
  if (hash !== (scope === undefined ? undefined : scopeHash(scope))) {
    const retry = "repeat the other parameters of the call that returned it, or start over without a page_token";
    throw invalid("page_token", `belongs to a different ${method} query: ${retry}`);
  }
  return { at: date, id };
}

/** A page size from a request: 0 or absent means `fallback`; never more than `max`. */
export function pageSize(asked: number | undefined, fallback: number, max: number): number {
  const n = asked !== undefined && asked > 0 ? Math.floor(asked) : fallback;
  return Math.min(n, max);
}
