import { DEFAULT_SCRYPT_PARAMS, hashPassword, type ScryptParams, verifyPassword } from "../domain/password.js";
import type { Sealer } from "@triphub/platform/sealing";
import { newUser } from "../domain/user.js";
import type { AuthDb } from "../store/db.js";
import { users } from "../store/schema.js";
import { createUserStore } from "../store/user-store.js";
import { sealedUserColumns } from "../store/user-sealing.js";
import { type DemoUser, demoGuest, demoReviewers } from "./demo-users.js";

/** What to seed. */
export interface DemoUserOptions {
  /** How many reviewer accounts (default 150). */
  reviewers?: number;
  /** The seed the accounts derive from (default 1). */
  seed?: number;
  /** The demo guest's password: the devstack keeps it in its secrets folder. */
  demoGuestPassword: string;
  /** Hash cost (default: production's, so the account is exactly what sign-up makes). */
  passwordParams?: ScryptParams;
  now: Date;
}

/** What seeding found and did. */
export interface DemoUserResult {
  reviewersCreated: number;
  reviewersKept: number;
  /** "password_differs": the account was kept, but its password is no longer the one given. */
  demoGuest: "created" | "kept" | "password_differs";
  demoGuestId: string;
}

/** The row sign-up would store for `u` (GUEST, as `newUser` builds it), under the seed's id. */
function accountRow(sealer: Sealer, u: DemoUser, passwordHash: string | null, now: Date): typeof users.$inferInsert {
  const draft = newUser({ email: u.email, displayName: u.displayName, locale: u.locale }, now);
  return {
    id: u.id,
    ...sealedUserColumns(sealer, u.id, draft),
    passwordHash,
    displayName: draft.displayName,
    locale: draft.locale,
    roles: draft.roles,
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
  };
}

/**
 * Creates the demo reviewers (no password: like a social-login account with no provider, they
 * cannot sign in) and the demo guest, whose password is hashed as sign-up hashes it. Accounts
 * that exist are kept as they are, the demo guest's password included, so re-running changes
 * nothing.
 */
export async function seedDemoUsers(db: AuthDb, sealer: Sealer, o: DemoUserOptions): Promise<DemoUserResult> {
  const reviewers = demoReviewers(o.reviewers ?? 150, o.seed ?? 1);
  const created = reviewers.length === 0
    ? []
    : await db
        .insert(users)
        .values(reviewers.map((u) => accountRow(sealer, u, null, o.now)))
        .onConflictDoNothing()
        .returning({ id: users.id });

  const guest = demoGuest(o.seed ?? 1);
  const store = createUserStore(db, sealer);
  const existing = await store.findByEmail(guest.email);
  if (existing) {
    const hash = await store.getPasswordHash(existing.id);
    const same = hash !== undefined && (await verifyPassword(o.demoGuestPassword, hash));
    return result(same ? "kept" : "password_differs", existing.id);
  }
  const hash = await hashPassword(o.demoGuestPassword, o.passwordParams ?? DEFAULT_SCRYPT_PARAMS);
  const [row] = await db.insert(users).values(accountRow(sealer, guest, hash, o.now)).onConflictDoNothing().returning({ id: users.id });
  // Someone signed up with the email in between: theirs is the account.
  const id = row?.id ?? (await store.findByEmail(guest.email))?.id ?? guest.id;
  return result(row ? "created" : "kept", id);

  function result(demo: DemoUserResult["demoGuest"], demoGuestId: string): DemoUserResult {
    return { reviewersCreated: created.length, reviewersKept: reviewers.length - created.length, demoGuest: demo, demoGuestId };
  }
}
