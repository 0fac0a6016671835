import { createHash, timingSafeEqual } from "node:crypto";
import { DomainError } from "@triphub/platform/domain-error";
import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { providerUnavailable } from "./discovery.js";

/** Who the provider says signed in: the claims of a valid ID token that social login uses. */
export interface ProviderIdentity {
  /** `sub`: stable and unique per provider; the identity is provider + subject, never the email. */
  subject: string;
  email?: string;
  /** True only when the provider asserts it (`email_verified: true`). */
  emailVerified: boolean;
  name?: string;
  locale?: string;
}

/** Signature algorithms an ID token may use: asymmetric only (no `none`, no HMAC with a shared secret). */
export const ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

/** Clock skew allowed between the provider and us, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 60;
/** An ID token comes fresh from the token endpoint; an older one is a replay. */
export const MAX_ID_TOKEN_AGE_SECONDS = 600;

/** What the token must have been issued for. */
export interface IdTokenExpectation {
  provider: string;
  issuer: string;
  clientId: string;
  nonce: string;
  algorithms: string[];
  now: Date;
}

/** The ID token failed validation; `problem` says why, for the logs (no token content). */
export class IdTokenRejected extends DomainError {
  constructor(readonly problem: string) {
    super("unauthenticated", "the login provider's ID token is not valid", { reason: "OAUTH_ID_TOKEN_INVALID" });
  }
}

const digest = (s: string) => createHash("sha256").update(s).digest();

function optionalString(payload: JWTPayload, claim: string, max: number): string | undefined {
  const value = payload[claim];
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : undefined;
}

/**
 * Validates an ID token (OIDC Core 3.1.3.7): signature by a key of the provider's JWKS with an
 * allowed asymmetric algorithm, `iss`, `aud` containing the client id (and `azp` equal to it
 * when present or when there are several audiences), `exp`, `iat` not in the future and not
 * older than {@link MAX_ID_TOKEN_AGE_SECONDS}, each with {@link CLOCK_TOLERANCE_SECONDS} of
 * slack, and `nonce` equal to the one this login sent. Throws {@link IdTokenRejected}, or
 * "unavailable" when the provider's keys cannot be fetched.
 */
export async function verifyIdToken(token: string, keys: JWTVerifyGetKey, expect: IdTokenExpectation): Promise<ProviderIdentity> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: expect.issuer,
      audience: expect.clientId,
      algorithms: expect.algorithms,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: expect.now,
      maxTokenAge: MAX_ID_TOKEN_AGE_SECONDS,
      requiredClaims: ["sub", "exp", "iat"],
    }));
  } catch (err) {
    if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) throw providerUnavailable(expect.provider, err);
    if (err instanceof errors.JOSEError && err.code !== errors.JOSEError.code) throw new IdTokenRejected(err.code);
    // A generic JOSEError is a JWKS that did not answer 200 or JSON; anything else is the network.
    throw providerUnavailable(expect.provider, err);
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((payload.azp !== undefined || audiences.length > 1) && payload.azp !== expect.clientId) throw new IdTokenRejected("azp");
  if (typeof payload.nonce !== "string" || !timingSafeEqual(digest(payload.nonce), digest(expect.nonce))) {
    throw new IdTokenRejected("nonce");
  }
  const subject = payload.sub;
  if (typeof subject !== "string" || subject === "" || subject.length > 255) throw new IdTokenRejected("sub");
  const email = optionalString(payload, "email", 254);
  return {
    subject,
    email,
    // Some providers send the string "true"; anything else is unverified.
    emailVerified: email !== undefined && (payload.email_verified === true || payload.email_verified === "true"),
    // Kakao names it `nickname`.
    name: optionalString(payload, "name", 80) ?? optionalString(payload, "nickname", 80),
    locale: optionalString(payload, "locale", 35),
  };
}
