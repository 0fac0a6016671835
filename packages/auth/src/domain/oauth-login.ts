import { createHash, randomBytes } from "node:crypto";
import type { User } from "./user.js";

/** How long a started login (state, nonce, PKCE verifier) may be completed. */
export const LOGIN_STATE_TTL_SECONDS = 10 * 60;
/** How long the user has to prove the password of the account a provider email matches. */
export const LINK_TOKEN_TTL_SECONDS = 10 * 60;

/** An unguessable opaque value: 256 bits, base64url (43 characters, a valid PKCE verifier too). */
export const newOpaqueValue = (): string => randomBytes(32).toString("base64url");

/** The PKCE S256 code challenge of a verifier (RFC 7636 4.2). */
export const codeChallengeOf = (verifier: string): string => createHash("sha256").update(verifier, "ascii").digest("base64url");

/** The stored form of a state or link token: a leaked table cannot be replayed. */
export const hashOpaqueValue = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");

/** The account a provider's email address already belongs to. */
export interface EmailOwner {
  user: User;
  hasPassword: boolean;
}

/** What a completed provider login leads to. */
export type OAuthSignInDecision =
  | { kind: "sign_in"; userId: string }
  | { kind: "create" }
  | { kind: "link_required"; userId: string }
  | { kind: "refuse"; why: "no_email" | "email_unverified_taken" | "email_taken_without_password" };

/**
 * Decides a social login from what is known about the provider identity:
 * - an identity linked before signs into its account, whatever its email says now;
 * - otherwise the email decides. None shared: refused (every account has an email). Free:
 *   a new account. Taken by an account with a password: linking needs that password, even
 *   when the provider says the email is verified (a provider's word never takes over an
 *   account). Taken and unverified: refused, never linked. Taken by an account without a
 *   password (another provider's): refused, there is nothing to prove ownership with.
 */
export function decideOAuthSignIn(input: {
  linkedUserId: string | undefined;
  email: string | undefined;
  emailVerified: boolean;
  emailOwner: EmailOwner | undefined;
}): OAuthSignInDecision {
  if (input.linkedUserId !== undefined) return { kind: "sign_in", userId: input.linkedUserId };
  if (input.email === undefined) return { kind: "refuse", why: "no_email" };
  const owner = input.emailOwner;
  if (owner === undefined) return { kind: "create" };
  if (!input.emailVerified) return { kind: "refuse", why: "email_unverified_taken" };
  if (!owner.hasPassword) return { kind: "refuse", why: "email_taken_without_password" };
  return { kind: "link_required", userId: owner.user.id };
}
