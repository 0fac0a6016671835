import { Code, ConnectError, createContextKey, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from "jose";
import { callerServiceKey, isPublicMethod } from "./caller-policy.js";
import { DomainError } from "./domain-error.js";
import { remoteKeys } from "./service-token.js";
import { type Clock, systemClock } from "./clock.js";

/** The authenticated caller of an RPC. */
export interface Identity {
  userId: string;
  /** Role names as in the token: "GUEST", "HOST", "ADMIN". */
  roles: string[];
  /** The session (refresh-token family) the access token was issued for. */
  sessionId?: string;
}

/** Context key of the caller's {@link Identity}; undefined for anonymous calls. */
export const identityKey = createContextKey<Identity | undefined>(undefined, { description: "identity" });

/** Checks an access token and returns who it names, or throws. */
export type TokenVerifier = (token: string) => Promise<Identity>;

/** Options for {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** The auth service's JWKS URL, or a key resolver (the auth service passes its own keys). */
  jwks: string | JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** How many verified tokens to remember (0 turns the cache off). */
  cacheSize?: number;
  /** The longest lifetime (exp - iat) a token may claim; default an hour, auth's maximum. */
  maxLifetimeSeconds?: number;
  now?: Clock;
}

// Clocks of issuer and verifier differ a little; more than this and a token "from the future"
// is refused, since only a wrong clock or a forger makes one.
const CLOCK_SKEW_SECONDS = 30;

/**
 * Verifies access tokens locally against the auth service's public keys. A remote JWKS is
 * cached and refetched (at most every 30 s) when a token names an unknown `kid`, which is how a
 * rotated key becomes known. Only asymmetric algorithms are accepted, so `alg: none` and
 * HMAC-with-the-public-key forgeries fail.
 */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  const keys = typeof opts.jwks === "string" ? remoteKeys(opts.jwks) : opts.jwks;
  const now = opts.now ?? systemClock;
  const maxLifetime = opts.maxLifetimeSeconds ?? 3600;
  const verified = createVerifiedTokenCache(opts.cacheSize ?? 10_000, now);
  return async (token) => {
    const hit = verified.get(token);
    if (hit) return hit;
    const currentDate = now();
    const { payload } = await jwtVerify(token, keys, {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: ["ES256", "EdDSA"],
      typ: "at+jwt",
      requiredClaims: ["sub", "exp", "iat"],
      currentDate,
      clockTolerance: CLOCK_SKEW_SECONDS,
    });
    const iat = payload.iat ?? 0;
    if (iat > currentDate.getTime() / 1000 + CLOCK_SKEW_SECONDS) throw new errors.JWTClaimValidationFailed("iat is in the future", payload, "iat", "check_failed");
    if ((payload.exp ?? 0) - iat > maxLifetime) throw new errors.JWTClaimValidationFailed("lifetime exceeds the maximum", payload, "exp", "check_failed");
    // A service's token (client credentials) never speaks for a user.
    if (payload.client_id !== undefined) throw new errors.JWTClaimValidationFailed("a service token is not a user's", payload, "client_id", "check_failed");
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
    const identity = { userId: String(payload.sub), roles, sessionId: typeof payload.sid === "string" ? payload.sid : undefined };
    verified.set(token, identity, (payload.exp ?? 0) * 1000);
    return identity;
  };
}

// Keeping a verified token for at most this long bounds how long a key pulled from the JWKS in
// an emergency goes on being honoured by this process.
const MAX_CACHED_MS = 60_000;

/**
 * Verified tokens by their full text (signature included, so a changed token is a miss), kept
 * until they expire or for a minute, whichever comes first. Verifying an ES256 signature costs
 * far more than the rest of a typical read RPC; a client sends the same token many times.
 */
function createVerifiedTokenCache(max: number, now: Clock) {
  const entries = new Map<string, { identity: Identity; until: number }>();
  return {
    get(token: string): Identity | undefined {
      const e = entries.get(token);
      if (!e) return undefined;
      if (e.until <= now().getTime()) {
        entries.delete(token);
        return undefined;
      }
      return e.identity;
    },
    set(token: string, identity: Identity, expiresAtMs: number) {
      if (max <= 0) return;
      // Map iterates in insertion order: dropping the first entry evicts the oldest.
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(token, { identity, until: Math.min(expiresAtMs, now().getTime() + MAX_CACHED_MS) });
    },
  };
}

/** A key resolver over a JWKS held in memory (what the auth service verifies its own tokens with). */
export const localKeys = (jwks: JSONWebKeySet): JWTVerifyGetKey => createLocalJWKSet(jwks);

/**
 * Puts the caller's identity on the context when the request carries `Authorization: Bearer`.
 * A missing token is UNAUTHENTICATED unless the RPC is public (its edge policy) or another
 * service calls (the caller policy, which runs first, has named it); a bad one is
 * UNAUTHENTICATED, with the same message whatever was wrong so nothing is learned by probing.
 */
export function authInterceptor(verify: TokenVerifier): Interceptor {
  return (next) => async (req) => {
    const header = req.header.get("authorization");
    if (header) {
      const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
      if (!match) throw new ConnectError("malformed authorization header", Code.Unauthenticated);
      let identity: Identity;
      try {
        identity = await verify(match[1]);
      } catch (e) {
        throw tokenError(e);
      }
      req.contextValues.set(identityKey, identity);
    } else if (!isPublicMethod(req.method) && req.contextValues.get(callerServiceKey) === undefined) {
      // Refused before validation: a caller who may not call learns nothing of the request's shape.
      throw new ConnectError("this call needs an access token (Authorization: Bearer …)", Code.Unauthenticated);
    }
    return next(req);
  };
}

/** The caller, or UNAUTHENTICATED. */
export function requireIdentity(ctx: HandlerContext): Identity {
  const id = ctx.values.get(identityKey);
  if (!id) throw new DomainError("unauthenticated", "sign in first: this call needs an access token");
  return id;
}

/** The caller when they hold one of `roles`, else PERMISSION_DENIED. */
export function requireRole(ctx: HandlerContext, ...roles: string[]): Identity {
  const id = requireIdentity(ctx);
  if (!roles.some((r) => id.roles.includes(r))) {
    throw new DomainError("forbidden", `this call needs the role ${roles.join(" or ")}`);
  }
  return id;
}

/**
 * What a failed verification means for the caller: a bad token is UNAUTHENTICATED (same message
 * whatever was wrong); keys that could not be fetched are UNAVAILABLE, so clients retry instead
 * of throwing their session away.
 */
export function tokenError(e: unknown): ConnectError {
  const keysUnreachable = e instanceof errors.JWKSTimeout || !(e instanceof errors.JOSEError);
  return keysUnreachable
    ? new ConnectError("cannot verify access tokens right now", Code.Unavailable, undefined, undefined, e)
    : new ConnectError("invalid or expired access token", Code.Unauthenticated, undefined, undefined, e);
}
