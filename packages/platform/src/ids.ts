import { createHash } from "node:crypto";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a value is a UUID. Stores check ids with it before they reach PostgreSQL, which
 * rejects a malformed uuid with an error rather than "no row"; page tokens check the ids they carry.
 */
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/**
 * A UUID (version 4 layout) derived from `name` by SHA-256: seeds and fixtures that must give
 * the same ids on every machine and every run. Never for ids a user could guess to their gain.
 */
export function uuidFromName(name: string): string {
  const h = createHash("sha256").update(name).digest("hex").slice(0, 32).split("");
  h[12] = "4";
  h[16] = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
