// Social login's use cases (authorization code + PKCE, OpenID Connect): starting a login,
// completing it into a session, and linking a provider identity to an existing account with
// its password. Codes, states, nonces, verifiers and tokens are never logged.
import type { Clock, Logger } from "@triphub/platform";
import { DomainError, invalid } from "@triphub/platform/domain-error";
import type { AccountFlows, TokenPair } from "./account-flows.js";
import type { AuditTrail } from "./audit-trail.js";
import type { RequestOrigin } from "./domain/audit-event.js";
import {
  codeChallengeOf,
  decideOAuthSignIn,
  hashOpaqueValue,
  LINK_TOKEN_TTL_SECONDS,
  LOGIN_STATE_TTL_SECONDS,
  newOpaqueValue,
} from "./domain/oauth-login.js";
import { newUser, type User } from "./domain/user.js";
import { IdTokenRejected, type ProviderIdentity } from "./oidc/id-token.js";
import type { OidcClient } from "./oidc/oidc-client.js";
import type { OAuthStore } from "./store/oauth-store.js";
import type { UserStore } from "./store/user-store.js";

/** What the social login flows need. */
export interface OAuthFlowDeps {
  /** The configured providers by name. */
  providers: ReadonlyMap<string, OidcClient>;
  store: OAuthStore;
  users: UserStore;
  accounts: AccountFlows;
  audit: AuditTrail;
  now: Clock;
  log: Logger;
}

/** How a completed provider login ends. */
export type OAuthCompletion =
  | { kind: "signed_in"; user: User; tokens: TokenPair; created: boolean }
  /** The email belongs to a password account: the client must prove it with LinkOAuthAccount. */
  | { kind: "link_required"; provider: string; linkToken: string; expiresAt: Date };

const stateInvalid = () =>
  new DomainError("unauthenticated", "this login is unknown, expired or already completed; start the login again", {
    reason: "OAUTH_STATE_INVALID",
  });

const linkTokenInvalid = () =>
  new DomainError("unauthenticated", "the link token is unknown, expired or already used; sign in with the provider again", {
    reason: "OAUTH_LINK_TOKEN_INVALID",
  });

const LOCALE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$/;

function profileOf(identity: ProviderIdentity & { email: string }) {
  const fromEmail = identity.email.split("@")[0]?.trim();
  const locale = identity.locale?.replace(/_/g, "-");
  return {
    email: identity.email,
    displayName: identity.name ?? (fromEmail || "Traveller"),
    locale: locale && LOCALE.test(locale) ? locale : "",
  };
}

/** StartOAuthLogin, CompleteOAuthLogin and LinkOAuthAccount. */
export function createOAuthFlows(d: OAuthFlowDeps) {
  function provider(name: string): OidcClient {
    const client = d.providers.get(name);
    if (!client) {
      throw new DomainError("not_found", `social login provider "${name}" is not configured`, { reason: "OAUTH_PROVIDER_UNKNOWN" });
    }
    return client;
  }

  async function signIn(userId: string, created: boolean): Promise<OAuthCompletion> {
    const user = await d.users.findById(userId);
    // Deleted between the lookup and now: nothing to sign into.
    if (!user) throw stateInvalid();
    return { kind: "signed_in", user, tokens: await d.accounts.signIn(user), created };
  }

  /** A social login's event: provider name and reason codes only, never the provider's subject or email. */
  const recordLogin = (provider: string, origin: RequestOrigin | undefined, outcome: { userId: string; created: boolean } | { reason: string }) =>
    "userId" in outcome
      ? d.audit.record(
          {
            type: "OAUTH_LOGIN",
            outcome: "SUCCESS",
            actorUserId: outcome.userId,
            subjectUserId: outcome.userId,
            details: { provider, created: String(outcome.created) },
          },
          origin,
        )
      : d.audit.record({ type: "OAUTH_LOGIN", outcome: "FAILURE", details: { provider, reason: outcome.reason } }, origin);

  /** Refusals of a validated identity: the provider is fine, the account situation is not. */
  function refusal(why: "no_email" | "email_unverified_taken" | "email_taken_without_password"): DomainError {
    switch (why) {
      case "no_email":
        return new DomainError("precondition", "the login provider shared no email address; allow access to your email and try again", {
          reason: "OAUTH_EMAIL_REQUIRED",
        });
      case "email_unverified_taken":
        return new DomainError(
          "precondition",
          "an account with this email already exists and the login provider has not verified the address; sign in with your password",
          { reason: "OAUTH_EMAIL_NOT_VERIFIED" },
        );
      case "email_taken_without_password":
        return new DomainError("precondition", "an account with this email already exists; sign in the way you signed up", {
          reason: "ACCOUNT_EXISTS",
        });
      default: {
        const _x: never = why;
        throw new Error(`unknown refusal ${String(_x)}`);
      }
    }
  }

  return {
    /** Stores a fresh state, nonce and PKCE verifier for this provider and redirect URI; returns where to send the browser. */
    async start(input: { provider: string; redirectUri: string }) {
      const client = provider(input.provider);
      if (!client.config.allowedRedirectUris.includes(input.redirectUri)) {
        throw invalid("redirect_uri", `is not registered for provider "${input.provider}"`);
      }
      const state = newOpaqueValue();
      const nonce = newOpaqueValue();
      const codeVerifier = newOpaqueValue();
      // Discovery first: a provider that is down stores nothing.
      const authorizationUrl = await client.authorizationUrl({
        redirectUri: input.redirectUri,
        state,
        nonce,
        codeChallenge: codeChallengeOf(codeVerifier),
      });
      const now = d.now();
      await d.store.saveLoginState(hashOpaqueValue(state), {
        provider: input.provider,
        redirectUri: input.redirectUri,
        nonce,
        codeVerifier,
        expiresAt: new Date(now.getTime() + LOGIN_STATE_TTL_SECONDS * 1000),
      });
      return { authorizationUrl, state };
    },

    /**
     * Spends the state (whatever happens next), exchanges the code, validates the ID token and
     * signs in, creates the account, or asks for the password of the account the email matches.
     */
    async complete(input: { provider: string; code: string; state: string }, origin?: RequestOrigin): Promise<OAuthCompletion> {
      const client = provider(input.provider);
      const started = await d.store.takeLoginState(hashOpaqueValue(input.state));
      const now = d.now();
      if (!started || started.provider !== input.provider || started.expiresAt.getTime() <= now.getTime()) {
        d.log.info({ provider: input.provider, problem: started ? "state of another provider or expired" : "unknown state" }, "social login refused");
        await recordLogin(input.provider, origin, { reason: "STATE_INVALID" });
        throw stateInvalid();
      }
      let identity: ProviderIdentity;
      try {
        identity = await client.signIn({ code: input.code, redirectUri: started.redirectUri, codeVerifier: started.codeVerifier, nonce: started.nonce, now });
      } catch (err) {
        if (err instanceof DomainError && err.kind === "unauthenticated") {
          d.log.info({ provider: input.provider, problem: err instanceof IdTokenRejected ? err.problem : err.details.reason }, "social login refused");
          await recordLogin(input.provider, origin, { reason: err instanceof IdTokenRejected ? "ID_TOKEN_REJECTED" : "PROVIDER_REFUSED" });
        }
        throw err;
      }

      const key = { provider: input.provider, subject: identity.subject };
      const linkedUserId = await d.store.findLinkedUserId(key);
      const owner = linkedUserId === undefined && identity.email !== undefined ? await d.users.findByEmail(identity.email) : undefined;
      const decision = decideOAuthSignIn({
        linkedUserId,
        email: identity.email,
        emailVerified: identity.emailVerified,
        emailOwner: owner && { user: owner, hasPassword: (await d.users.getPasswordHash(owner.id)) !== undefined },
      });
      switch (decision.kind) {
        case "sign_in": {
          const done = await signIn(decision.userId, false);
          await recordLogin(input.provider, origin, { userId: decision.userId, created: false });
          return done;
        }
        case "create": {
          if (identity.email === undefined) throw refusal("no_email");
          // Never ADMIN, not even for the bootstrap email: a provider's word grants no role.
          const draft = newUser(profileOf({ ...identity, email: identity.email }), now);
          const created = await d.store.createLinkedAccount(draft, key, (tx, userId) =>
            d.audit.record(
              { type: "OAUTH_LOGIN", outcome: "SUCCESS", actorUserId: userId, subjectUserId: userId, details: { provider: input.provider, created: "true" } },
              origin,
              tx,
            ),
          );
          return signIn(created, true);
        }
        case "link_required": {
          const linkToken = newOpaqueValue();
          const expiresAt = new Date(now.getTime() + LINK_TOKEN_TTL_SECONDS * 1000);
          await d.store.saveLinkToken(hashOpaqueValue(linkToken), { userId: decision.userId, ...key, expiresAt });
          return { kind: "link_required", provider: input.provider, linkToken, expiresAt };
        }
        case "refuse":
          throw refusal(decision.why);
        default: {
          const _x: never = decision;
          throw new Error(`unknown decision ${JSON.stringify(_x)}`);
        }
      }
    },

    /**
     * Links the pending identity once the account's password is proved (under the login
     * throttle, so a link token is no way around it), then signs in. A wrong password leaves
     * the token usable until it expires.
     */
    async link(input: { linkToken: string; password: string; clientIp: string; origin?: RequestOrigin }) {
      const tokenHash = hashOpaqueValue(input.linkToken);
      const pending = await d.store.findLinkToken(tokenHash, d.now());
      const user = pending && (await d.users.findById(pending.userId));
      if (!pending || !user) throw linkTokenInvalid();
      const proved = await d.accounts.authenticate({
        email: user.email,
        password: input.password,
        clientIp: input.clientIp,
        origin: input.origin,
        via: "OAUTH_LINK",
      });
      if (proved.id !== user.id) throw linkTokenInvalid();
      const spent = await d.store.spendLinkToken(tokenHash, d.now(), (tx, link) =>
        d.audit.record(
          { type: "OAUTH_LINK", outcome: "SUCCESS", actorUserId: link.userId, subjectUserId: link.userId, details: { provider: link.provider } },
          input.origin,
          tx,
        ),
      );
      if (!spent) throw linkTokenInvalid();
      return { user: proved, tokens: await d.accounts.signIn(proved) };
    },
  };
}

/** The social login flows of one auth instance. */
export type OAuthFlows = ReturnType<typeof createOAuthFlows>;
