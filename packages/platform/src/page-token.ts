import { invalid } from "./domain-error.js";

/** The sort key of the last row of a page: keyset pagination resumes after (at, id). */
export interface PageCursor {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque page token (base64url JSON) for the row `last`. */
export function encodePageToken(last: PageCursor): string {
  return Buffer.from(JSON.stringify([last.at.toISOString(), last.id])).toString("base64url");
}

/** Reads a token from `encodePageToken`; anything else is an "invalid" page_token error. */
export function decodePageToken(token: string, method: string): PageCursor {
  const bad = () => invalid("page_token", `is not a token from a previous ${method} call`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [at, id]: unknown[] = parsed;
  if (typeof at !== "string" || typeof id !== "string" || !UUID.test(id)) throw bad();
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw bad();
  return { at: date, id };
}

/** A page size from a request: 0 or absent means `fallback`; never more than `max`. */
export function pageSize(asked: number | undefined, fallback: number, max: number): number {
  const n = asked !== undefined && asked > 0 ? Math.floor(asked) : fallback;
  return Math.min(n, max);
}
