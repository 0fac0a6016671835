import { invalid } from "@triphub/platform/domain-error";
import { isUuid } from "./db.js";

/** The sort key of the last row of a page: keyset pagination resumes after it. */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

/** An opaque page token (base64url JSON) for the row `last`. */
export function encodePageToken(last: PageCursor): string {
  return Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString("base64url");
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
  if (typeof at !== "string" || typeof id !== "string" || !isUuid(id)) throw bad();
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime())) throw bad();
  return { createdAt, id };
}
