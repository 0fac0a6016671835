import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { DomainError, type FieldViolation } from "@triphub/platform/domain-error";

/** What every API key secret starts with, so scanners and people recognise a leaked one. */
export const API_KEY_SECRET_PREFIX = "thk_live_";

const PUBLIC_ID_LENGTH = 12;
const PUBLIC_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
// `thk_live_` + public id + `_` + 32 random bytes in base64url (43 characters).
const SECRET_SHAPE = /^thk_live_([a-z0-9]{12})_[A-Za-z0-9_-]{43}$/;

/** How long a rotated key keeps working when the caller names no overlap: a day. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400;
/** The longest overlap a rotation may ask for: a week. */
export const MAX_ROTATION_OVERLAP_SECONDS = 7 * 86_400;

/** A partner API key as stored: never its secret, only the secret's hash. */
export interface ApiKey {
  id: string;
  userId: string;
  name: string;
  /** Finds the key from its secret and names it in logs (see {@link apiKeyPrefix}). */
  publicId: string;
  /** Full method names, or `<service>.*` (the gateway matches a route's RPC against them). */
  scopes: string[];
  createdBy: string;
  createdAt: Date;
  expiresAt?: Date;
  revokedAt?: Date;
  lastUsedAt?: Date;
  /** The key that replaced this one in a rotation. */
  replacedBy?: string;
}

/** A key about to be stored: a fresh secret's public id and hash, and its grants. */
export type NewApiKey = Omit<ApiKey, "id" | "lastUsedAt" | "revokedAt" | "replacedBy"> & { secretHash: string };

/** The part of a secret that is safe to show and log: `thk_live_<public id>`. */
export const apiKeyPrefix = (publicId: string): string => `${API_KEY_SECRET_PREFIX}${publicId}`;

/** A new secret and the public id inside it. The secret has 256 random bits. */
export function newApiKeySecret(): { secret: string; publicId: string } {
  // 36 symbols from a byte: the modulo bias (256 = 7*36 + 4) is harmless for an identifier.
  const publicId = [...randomBytes(PUBLIC_ID_LENGTH)].map((b) => PUBLIC_ID_ALPHABET[b % PUBLIC_ID_ALPHABET.length]).join("");
  return { secret: `${apiKeyPrefix(publicId)}_${randomBytes(32).toString("base64url")}`, publicId };
}

/** The public id of a well-formed secret; undefined for anything else. */
export function publicIdOf(secret: string): string | undefined {
  return SECRET_SHAPE.exec(secret)?.[1];
}

/** What is stored for a secret: SHA-256, hex. 256 random bits need no slow hash. */
export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Whether `secret` is the one whose hash is `storedHash`, compared in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKeySecret(secret), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the key may be used at `now`: not revoked and not expired. */
export function isUsable(key: Pick<ApiKey, "revokedAt" | "expiresAt">, now: Date): boolean {
  return key.revokedAt === undefined && (key.expiresAt === undefined || key.expiresAt.getTime() > now.getTime());
}

/** What the scopes of a key may name: the RPCs reachable through the gateway, by full name. */
export interface ScopeCatalog {
  /** Full method names a key may be granted, e.g. `triphub.auth.v1.AuthService.GetMe`. */
  methods: ReadonlySet<string>;
  /** Services whose `.*` wildcard is allowed. */
  services: ReadonlySet<string>;
  /**
   * Scopes never granted to a key: the methods that manage credentials (API keys, passwords),
   * and the wildcards of the services that have them.
   */
  forbidden: ReadonlySet<string>;
}

/** Checks the grants of a new key against the catalog and the clock; "invalid" naming every bad field. */
export function checkNewApiKey(input: { scopes: readonly string[]; expiresAt?: Date }, catalog: ScopeCatalog, now: Date): void {
  const violations: FieldViolation[] = [];
  input.scopes.forEach((scope, i) => {
    const problem = scopeProblem(scope, catalog);
    if (problem) violations.push({ field: `scopes[${i}]`, description: problem });
  });
  if (input.expiresAt !== undefined && input.expiresAt.getTime() <= now.getTime()) {
    violations.push({ field: "expire_time", description: "must be in the future" });
  }
  if (violations.length > 0) {
    throw new DomainError("invalid", violations.map((v) => `${v.field}: ${v.description}`).join("; "), { violations });
  }
}

function scopeProblem(scope: string, catalog: ScopeCatalog): string | undefined {
  if (catalog.forbidden.has(scope)) {
    return scope.endsWith(".*")
      ? `"${scope}" covers RPCs that manage credentials; name the methods the key needs one by one`
      : `"${scope}" manages credentials and cannot be granted to an API key`;
  }
  if (scope.endsWith(".*")) {
    return catalog.services.has(scope.slice(0, -2)) ? undefined : `"${scope}" names no service reachable through the API`;
  }
  return catalog.methods.has(scope) ? undefined : `"${scope}" is not an RPC reachable through the API (full name, e.g. "<package>.<Service>.<Method>", or "<package>.<Service>.*")`;
}

/**
 * When the old key of a rotation stops working: after the overlap, or at its own expiry if that
 * is sooner. "precondition" for a key that cannot be rotated (revoked, expired, already rotated).
 */
export function rotationEnd(key: ApiKey, overlapSeconds: number, now: Date): Date {
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_ROTATION_OVERLAP_SECONDS) {
    throw new DomainError("invalid", `overlap_seconds: must be 0 to ${MAX_ROTATION_OVERLAP_SECONDS}`, {
      violations: [{ field: "overlap_seconds", description: `must be 0 to ${MAX_ROTATION_OVERLAP_SECONDS}` }],
    });
  }
  if (key.replacedBy !== undefined) throw new DomainError("precondition", "this API key was already rotated; rotate its replacement");
  if (!isUsable(key, now)) throw new DomainError("precondition", "a revoked or expired API key cannot be rotated; create a new one");
  const end = new Date(now.getTime() + overlapSeconds * 1000);
  return key.expiresAt !== undefined && key.expiresAt < end ? key.expiresAt : end;
}
