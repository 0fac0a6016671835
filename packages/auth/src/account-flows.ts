// The use-case layer of auth: each flow spans several stores, the key ring and the domain rules
// (throttle, password, tokens), and sign-up, login, refresh and password change all end in the
// same token issue. Kept out of rpcs/ so the handlers stay thin and the flows read in one place.
import type { Clock } from "@triphub/platform";
import { DomainError } from "@triphub/platform/domain-error";
import type { AuditTrail } from "./audit-trail.js";
import type { LoginFailureReason, RequestOrigin } from "./domain/audit-event.js";
import { isLocked, retryAfterSeconds, throttleKeys } from "./domain/login-throttle.js";
import { burnPasswordCheck, hashPassword, needsRehash, type ScryptParams, verifyPassword } from "./domain/password.js";
import { issueAccessToken } from "./domain/tokens.js";
import { newUser, normalizeEmail, type User } from "./domain/user.js";
import type { KeyRing } from "./store/key-ring.js";
import type { SessionStore } from "./store/session-store.js";
import type { ThrottleStore } from "./store/throttle-store.js";
import type { UserStore } from "./store/user-store.js";

/** A signed-in session as handed to the client. */
export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

/** Token settings of the auth service. */
export interface TokenPolicy {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** What the account flows need. */
export interface AccountFlowDeps {
  users: UserStore;
  sessions: SessionStore;
  throttle: ThrottleStore;
  keys: KeyRing;
  audit: AuditTrail;
  policy: TokenPolicy;
  passwordParams: ScryptParams;
  now: Clock;
  /** Signing up with this email makes the account ADMIN (bootstraps a fresh install). */
  bootstrapAdminEmail?: string;
}

const badCredentials = () => new DomainError("unauthenticated", "invalid email or password");

/** Sign-up, login, refresh, logout and password change: the flows that issue tokens. */
export function createAccountFlows(d: AccountFlowDeps) {
  async function issue(user: User, session?: { familyId: string; secret: string; expiresAt: Date }): Promise<TokenPair> {
    const now = d.now();
    const refresh =
      session ?? (await d.sessions.create({ userId: user.id, ttlSeconds: d.policy.refreshTokenTtlSeconds, now }));
    const access = await issueAccessToken(
      await d.keys.signingKey(),
      { userId: user.id, roles: user.roles, sessionId: refresh.familyId },
      { issuer: d.policy.issuer, audience: d.policy.audience, ttlSeconds: d.policy.accessTokenTtlSeconds, now },
    );
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.secret,
      refreshTokenExpiresAt: refresh.expiresAt,
    };
  }

  /**
   * The account whose password this is, under the login throttle; "unauthenticated" or
   * "exhausted" otherwise. Refusals are recorded as failed logins (`via` says which flow asked).
   */
  async function authenticate(input: { email: string; password: string; clientIp: string; origin?: RequestOrigin; via?: string }): Promise<User> {
    const now = d.now();
    const origin = input.origin ?? { clientIp: input.clientIp };
    const via: Record<string, string> = input.via === undefined ? {} : { via: input.via };
    const keys = throttleKeys(input.email, input.clientIp);
    const state = await d.throttle.state(keys);
    if (isLocked(state, now)) {
      const wait = retryAfterSeconds(state, now);
      await d.audit.record({ type: "LOGIN_THROTTLED", outcome: "FAILURE", details: { reason: "THROTTLED", ...via } }, origin);
      throw new DomainError("exhausted", `too many failed logins; try again in ${wait} seconds`, {
        reason: "LOGIN_THROTTLED",
        retryAfterSeconds: wait,
      });
    }
    const user = await d.users.findByEmail(input.email);
    const hash = user && (await d.users.getPasswordHash(user.id));
    const ok = hash ? await verifyPassword(input.password, hash) : await burnPasswordCheck(input.password, d.passwordParams);
    if (!user || !hash || !ok) {
      await Promise.all([d.throttle.recordFailure(keys.account, now), d.throttle.recordFailure(keys.ip, now)]);
      const reason: LoginFailureReason = !user ? "UNKNOWN_ACCOUNT" : !hash ? "NO_PASSWORD" : "WRONG_PASSWORD";
      // The email is not kept: for an unknown account nothing names who was tried.
      await d.audit.record({ type: "LOGIN", outcome: "FAILURE", subjectUserId: user?.id, details: { reason, ...via } }, origin);
      throw badCredentials();
    }
    await d.throttle.clear(keys.account);
    if (needsRehash(hash, d.passwordParams)) {
      await d.users.setPassword(user.id, await hashPassword(input.password, d.passwordParams), now);
    }
    return user;
  }

  return {
    async signUp(input: { email: string; password: string; displayName: string }, origin?: RequestOrigin) {
      const isAdmin = d.bootstrapAdminEmail !== undefined && normalizeEmail(input.email) === normalizeEmail(d.bootstrapAdminEmail);
      const draft = newUser({ email: input.email, displayName: input.displayName, roles: isAdmin ? ["ADMIN"] : [] }, d.now());
      const user = await d.users.insert(draft, await hashPassword(input.password, d.passwordParams));
      // After the insert's own commit: the user store's insert takes no transaction hook (its
      // sealing is being reworked); an event lost to a crash here leaves the account's created_at.
      await d.audit.record(
        { type: "SIGN_UP", outcome: "SUCCESS", actorUserId: user.id, subjectUserId: user.id, details: { roles: user.roles.join(" ") } },
        origin,
      );
      return { user, tokens: await issue(user) };
    },

    /** Same answer for an unknown email and a wrong password, in about the same time. */
    async login(input: { email: string; password: string; clientIp: string; origin?: RequestOrigin }) {
      const user = await authenticate(input);
      const tokens = await issue(user);
      await d.audit.record({ type: "LOGIN", outcome: "SUCCESS", actorUserId: user.id, subjectUserId: user.id }, input.origin ?? { clientIp: input.clientIp });
      return { user, tokens };
    },

    /** Proves the password of an account under the login throttle, without opening a session. */
    authenticate,

    /** Opens a session for a user whose identity another flow has proved (social login). */
    signIn: (user: User) => issue(user),

    /** Rotates the refresh token; roles changed since login take effect here. */
    async refresh(secret: string, origin?: RequestOrigin) {
      const rotated = await d.sessions.rotate(secret, d.now(), d.policy.refreshTokenTtlSeconds, (tx, ended) =>
        d.audit.record(
          { type: "REFRESH_TOKEN_REUSE", outcome: "FAILURE", subjectUserId: ended.userId, details: { session_id: ended.familyId } },
          origin,
          tx,
        ),
      );
      const user = await d.users.findById(rotated.userId);
      if (!user) throw new DomainError("unauthenticated", "refresh token is no longer valid");
      return issue(user, rotated);
    },

    /** Ends the session; only a session that was live is recorded (a repeated logout is a no-op). */
    async logout(secret: string, origin?: RequestOrigin): Promise<void> {
      await d.sessions.revokeFamilyOf(secret, d.now(), async (tx, ended) => {
        if (ended === undefined) return;
        const who = { actorUserId: ended.userId, subjectUserId: ended.userId };
        await d.audit.record({ type: "LOGOUT", outcome: "SUCCESS", ...who, details: { session_id: ended.familyId } }, origin, tx);
      });
    },

    /** Changes the password and revokes every session, then opens a fresh one for the caller. */
    async changePassword(userId: string, current: string, next: string, origin?: RequestOrigin) {
      const user = await d.users.findById(userId);
      const hash = user && (await d.users.getPasswordHash(userId));
      const who = { actorUserId: userId, subjectUserId: userId };
      if (!user || !hash || !(await verifyPassword(current, hash))) {
        // Someone holding a stolen access token guessing the password shows up here.
        await d.audit.record({ type: "PASSWORD_CHANGE", outcome: "FAILURE", ...who, details: { reason: "WRONG_PASSWORD" } }, origin);
        throw new DomainError("invalid", "current_password: is incorrect", {
          violations: [{ field: "current_password", description: "is incorrect" }],
        });
      }
      const now = d.now();
      await d.users.setPassword(userId, await hashPassword(next, d.passwordParams), now, (tx) =>
        d.audit.record({ type: "PASSWORD_CHANGE", outcome: "SUCCESS", ...who }, origin, tx),
      );
      await d.sessions.revokeAllForUser(userId, now);
      return issue(user);
    },
  };
}

/** The account flows of one auth instance. */
export type AccountFlows = ReturnType<typeof createAccountFlows>;
