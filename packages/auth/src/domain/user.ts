import { DomainError, invalid } from "@triphub/platform/domain-error";

/** What a user may do. Every account has GUEST; HOST lists properties; ADMIN moderates. */
export type Role = "GUEST" | "HOST" | "ADMIN";

/** Every role, in the canonical order roles are stored and returned in. */
export const ROLES: readonly Role[] = ["GUEST", "HOST", "ADMIN"];

/** True when `value` names a role; use it to narrow strings read from storage. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** An account. `phone` and `locale` are "" when unknown. */
export interface User {
  id: string;
  /** As the user typed it (trimmed); compare accounts with `normalizeEmail`. */
  email: string;
  displayName: string;
  phone: string;
  locale: string;
  /** Always contains GUEST; deduplicated, in `ROLES` order. */
  roles: Role[];
  createdAt: Date;
  updatedAt: Date;
}

/** A user before the store has given it an id. */
export type NewUser = Omit<User, "id">;

/**
 * The form of an email address that decides whether two accounts are the same: trimmed,
 * Unicode NFC, lower case. `Jane@Example.com` and `jane@example.com ` are one account.
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize("NFC").toLowerCase();
}

/** Always keeps GUEST, drops duplicates and returns the roles in `ROLES` order. */
export function normalizeRoles(roles: readonly Role[]): Role[] {
  const wanted = new Set<Role>(roles);
  wanted.add("GUEST");
  return ROLES.filter((r) => wanted.has(r));
}

/** Builds a new GUEST account at `now`; the display name must not be blank. */
export function newUser(
  input: { email: string; displayName: string; phone?: string; locale?: string; roles?: Role[] },
  now: Date,
): NewUser {
  const displayName = input.displayName.trim();
  if (displayName === "") throw invalid("display_name", "must not be blank");
  return {
    email: input.email.trim(),
    displayName,
    phone: input.phone ?? "",
    locale: input.locale ?? "",
    roles: normalizeRoles(input.roles ?? []),
    createdAt: now,
    updatedAt: now,
  };
}

/** The profile fields a user may change themself. */
export interface ProfilePatch {
  displayName?: string;
  phone?: string;
  locale?: string;
}

/** Field-mask paths (proto field names) that `applyProfilePatch` accepts. */
export const PROFILE_PATHS = ["display_name", "phone", "locale"] as const;
type ProfilePath = (typeof PROFILE_PATHS)[number];

function isProfilePath(path: string): path is ProfilePath {
  return (PROFILE_PATHS as readonly string[]).includes(path);
}

function patchValue(patch: ProfilePatch, path: ProfilePath): string {
  switch (path) {
    case "display_name":
      return patch.displayName ?? "";
    case "phone":
      return patch.phone ?? "";
    case "locale":
      return patch.locale ?? "";
    default: {
      const _x: never = path;
      throw new Error(`unknown profile path ${String(_x)}`);
    }
  }
}

function withValue(user: User, path: ProfilePath, value: string): User {
  switch (path) {
    case "display_name":
      return { ...user, displayName: value };
    case "phone":
      return { ...user, phone: value };
    case "locale":
      return { ...user, locale: value };
    default: {
      const _x: never = path;
      throw new Error(`unknown profile path ${String(_x)}`);
    }
  }
}

/** The paths a patch touches: the mask's (`*` = all of them), or the non-empty fields. */
function pathsToApply(patch: ProfilePatch, mask: readonly string[] | undefined): ProfilePath[] {
  // AIP-134: an absent (or empty) mask means "every field the caller populated".
  if (mask === undefined || mask.length === 0) {
    return PROFILE_PATHS.filter((p) => patchValue(patch, p) !== "");
  }
  if (mask.includes("*")) return [...PROFILE_PATHS];
  const bad = mask.filter((p) => !isProfilePath(p));
  if (bad.length > 0) {
    const description = `only ${PROFILE_PATHS.join(", ")} may be updated`;
    throw new DomainError("invalid", `update_mask: ${bad.join(", ")} cannot be updated`, {
      violations: bad.map((p) => ({ field: `update_mask.paths[${mask.indexOf(p)}]`, description })),
    });
  }
  return PROFILE_PATHS.filter((p) => mask.includes(p));
}

/**
 * Applies a profile update (UpdateMe). With a mask, exactly the masked fields are set, so an
 * empty value clears phone or locale; without one, only the non-empty fields apply. A mask
 * path other than display_name, phone or locale (or `*`) is an "invalid" error, and so is a
 * blank display name. `updatedAt` moves to `now` only when something actually changed.
 */
export function applyProfilePatch(
  user: User,
  patch: ProfilePatch,
  mask: readonly string[] | undefined,
  now: Date,
): User {
  let next = user;
  for (const path of pathsToApply(patch, mask)) {
    const raw = patchValue(patch, path);
    const value = path === "display_name" ? raw.trim() : raw;
    if (path === "display_name" && value === "") throw invalid("user.display_name", "must not be blank");
    next = withValue(next, path, value);
  }
  const changed =
    next.displayName !== user.displayName || next.phone !== user.phone || next.locale !== user.locale;
  return changed ? { ...next, updatedAt: now } : user;
}
