import { randomBytes } from "node:crypto";
import { SignJWT, importJWK } from "jose";
import type { CryptoKey } from "jose";
import type { SigningKey } from "./signing-keys.js";
import type { Role } from "./user.js";

/** The JOSE `typ` of our access tokens (RFC 9068), so other JWTs cannot pass as one. */
export const ACCESS_TOKEN_TYPE = "at+jwt";

/** Who the access token speaks for. `sessionId` is the refresh-token family id. */
export interface AccessTokenClaims {
  userId: string;
  roles: readonly Role[];
  sessionId: string;
}

/** Issuer, audience and lifetime of access tokens, and the clock. */
export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now: Date;
}

/** A signed access token and when it stops being valid. */
export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

// Importing a JWK costs a WebCrypto call; a process has only a handful of keys, so keep them.
const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();

function privateKeyOf(key: SigningKey): Promise<CryptoKey | Uint8Array> {
  let found = imported.get(key.kid);
  if (found === undefined) {
    if (imported.size >= 16) imported.clear();
    found = importJWK(key.privateJwk, key.alg);
    // A failed import must not be remembered.
    found.catch(() => imported.delete(key.kid));
    imported.set(key.kid, found);
  }
  return found;
}

/**
 * Signs an access token (ES256 JWT) with `key`: header alg, kid and typ "at+jwt"; claims iss,
 * aud, sub (user id), roles (role names), sid (session id), iat and exp (from `now`, whole
 * seconds) and a random jti. Verifiers check it against the JWKS.
 */
export function issueAccessToken(key: SigningKey, claims: AccessTokenClaims, options: AccessTokenOptions): Promise<IssuedAccessToken> {
  return sign(key, { roles: [...claims.roles], sid: claims.sessionId }, claims.userId, options);
}

/** Who an access token minted for an API key speaks for: the key's owner, through the key. */
export interface ApiKeyTokenClaims {
  userId: string;
  roles: readonly Role[];
  apiKeyId: string;
  /** The key's scopes, so a service can tell what the key was granted. */
  scopes: readonly string[];
}

/**
 * Signs an access token for the owner of an API key: like a user's (sub, roles), but with no
 * session; `api_key_id` and `scopes` name the key instead, so services and logs can tell a
 * partner's call from the user's own. The gateway forwards it in place of the key.
 */
export function issueApiKeyAccessToken(key: SigningKey, claims: ApiKeyTokenClaims, options: AccessTokenOptions): Promise<IssuedAccessToken> {
  return sign(key, { roles: [...claims.roles], api_key_id: claims.apiKeyId, scopes: [...claims.scopes] }, claims.userId, options);
}

/** A service token's subject and audience: the calling service and the one it calls. */
export interface ServiceTokenClaims {
  /** The calling service's client id, e.g. "reservation". */
  clientId: string;
  /** The service the token is for, e.g. "accommodation". */
  audience: string;
}

/**
 * Signs a service token (OAuth 2.0 client credentials, RFC 9068 claims): typ "at+jwt", aud the
 * called service, sub and client_id the calling one, no roles and no session, so it can never
 * pass as a user's access token (their verifiers refuse a client_id) nor open another service.
 */
export function issueServiceToken(
  key: SigningKey,
  claims: ServiceTokenClaims,
  options: Omit<AccessTokenOptions, "audience">,
): Promise<IssuedAccessToken> {
  return sign(key, { client_id: claims.clientId }, claims.clientId, { ...options, audience: claims.audience });
}

// Both kinds of token: the same header, registered claims and lifetime rule; what differs is
// the subject and the private claims.
async function sign(key: SigningKey, privateClaims: Record<string, unknown>, subject: string, options: AccessTokenOptions): Promise<IssuedAccessToken> {
  const iat = Math.floor(options.now.getTime() / 1000);
  const exp = iat + options.ttlSeconds;
  const token = await new SignJWT(privateClaims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(subject)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomBytes(16).toString("base64url"))
    .sign(await privateKeyOf(key));
  return { token, expiresAt: new Date(exp * 1000) };
}
