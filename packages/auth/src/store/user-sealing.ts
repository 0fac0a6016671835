// Users' email and phone at rest: sealed with the service's data keys, bound to their row, and
// found by blind indexes (HMAC under BLIND_INDEX_KEY) of the normalised email. The database
// never holds either in clear.
import type { Sealer } from "@triphub/platform/sealing";
import { normalizeEmail } from "../domain/user.js";

/** How many leading characters of an email ListUsers' prefix filter finds by index (the rest is checked once opened). */
export const EMAIL_PREFIX_INDEXED = 4;

const at = (column: "email" | "phone", id: string) => ({ table: "users", column, row: id });

/** The blind index an account with `email` is found and kept unique by. */
export const emailIndex = (sealer: Sealer, email: string) => sealer.blindIndex("users.email", normalizeEmail(email));

/**
 * The prefix-filter token of a normalised prefix: the blind index of its first
 * EMAIL_PREFIX_INDEXED characters. Only that many, so the table reveals which accounts share
 * their first few characters and nothing past them.
 */
export const emailPrefixToken = (sealer: Sealer, normalizedPrefix: string) =>
  sealer.blindIndex("users.email-prefix", [...normalizedPrefix].slice(0, EMAIL_PREFIX_INDEXED).join(""));

/** The sealed columns of user `id` with this email and phone. */
export function sealedUserColumns(sealer: Sealer, id: string, user: { email: string; phone: string }) {
  const normalized = [...normalizeEmail(user.email)];
  const prefixes = normalized.slice(0, EMAIL_PREFIX_INDEXED).map((_, i) => emailPrefixToken(sealer, normalized.slice(0, i + 1).join("")));
  return {
    email: sealer.seal(user.email, at("email", id)),
    phone: sealer.seal(user.phone, at("phone", id)),
    emailIndex: emailIndex(sealer, user.email),
    emailPrefixIndex: prefixes,
    // The clear column of before sealing stays empty.
    emailNormalized: null,
  };
}

/** The email and phone of user `id` as stored: opened, or as they are in a row not sealed yet. */
export function openUserColumns(sealer: Sealer, id: string, row: { email: string; phone: string; emailIndex: string | null }) {
  // No index yet: a row from before sealing, which the start of the service seals (see
  // sealUsers); its values are still the clear ones.
  if (row.emailIndex === null) return { email: row.email, phone: row.phone };
  return { email: sealer.open(row.email, at("email", id)), phone: sealer.open(row.phone, at("phone", id)) };
}
