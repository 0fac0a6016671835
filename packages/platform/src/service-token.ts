import { createHash, timingSafeEqual } from "node:crypto";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey, jwtVerify } from "jose";
import { clientFetch } from "./client-fetch.js";
import { type Clock, systemClock } from "./clock.js";

/** The request header a service sends its service token in (never `authorization`, which carries the user's). */
export const SERVICE_TOKEN_HEADER = "x-service-token";

/** Checks a service token and returns the name of the service it was issued to, or throws. */
export type ServiceTokenVerifier = (token: string) => Promise<string>;

/**
 * Every service identity of a TripHub deployment, the gateway's included: what `npm start` and
 * the testkit register with auth (services still being built are registered ahead, so a newcomer
 * can call as them). "deploy" is the deploy pipeline's: it runs no service, but may change
 * configuration (the config server's `callers`).
 */
export const SERVICE_NAMES = ["gateway", "auth", "accommodation", "reservation", "payment", "review", "registry", "config", "deploy"] as const;

/** A service name as auth registers clients: lower case, e.g. "reservation". */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Options for {@link createServiceTokenVerifier}. */
export interface ServiceTokenVerifierOptions {
  /** Auth's key resolver (see {@link remoteKeys}); the same one the user-token verifier uses. */
  keys: JWTVerifyGetKey;
  issuer: string;
  /** The name of the service verifying: tokens must be issued for it. */
  audience: string;
  now?: Clock;
}

/**
 * Verifies service tokens: access tokens from auth's client-credentials grant, audience-bound to
 * this service, whose `client_id` names the calling service. A user's access token fails here
 * (its audience is the public API's and it has no `client_id`), and a service token fails as a
 * user's (it has no session).
 */
export function createServiceTokenVerifier(opts: ServiceTokenVerifierOptions): ServiceTokenVerifier {
  const now = opts.now ?? systemClock;
  return async (token) => {
    const { payload } = await jwtVerify(token, opts.keys, {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: ["ES256", "EdDSA"],
      typ: "at+jwt",
      requiredClaims: ["sub", "exp", "iat", "client_id"],
      currentDate: now(),
      clockTolerance: 5,
    });
    const client = payload.client_id;
    if (typeof client !== "string" || client !== payload.sub || !SERVICE_NAME.test(client)) {
      throw new ConnectError("invalid service token", Code.Unauthenticated);
    }
    return client;
  };
}

/**
 * A cached remote JWKS of the auth service, shared by a process's token verifiers. An https URL
 * is fetched with the process's client TLS (auth's port may ask for the caller's certificate).
 */
export const remoteKeys = (jwksUrl: string): JWTVerifyGetKey =>
  createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, [customFetch]: clientFetch });

/** How a service proves who it is to auth's token endpoint (OAuth 2.0 client credentials). */
export interface ServiceCredentials {
  /** Auth's token endpoint, e.g. `http://127.0.0.1:7101/oauth2/token`. */
  tokenUrl: string;
  /** This service's name (its client id). */
  clientId: string;
  clientSecret: string;
}

/** Hands out service tokens for calling other services, fetched from auth and reused until near expiry. */
export interface ServiceTokenSource {
  tokenFor(audience: string): Promise<string>;
}

// A token is replaced this long before it expires, so a call never leaves with one that dies in flight.
const RENEW_BEFORE_MS = 60_000;
// After a failed fetch, calls fail at once for this long instead of each waiting on auth again.
const RETRY_AFTER_FAILURE_MS = 2_000;

/**
 * Service tokens from auth's client-credentials grant (RFC 6749 §4.4), one per audience, cached
 * until a minute before expiry. Concurrent calls wait for one fetch; a failure is remembered for
 * two seconds, so an outage of auth does not make every call wait on it. An https token URL is
 * called with the process's client TLS. Auth being unreachable is
 * UNAVAILABLE (callers retry); refused credentials are UNAUTHENTICATED, a deployment error.
 */
export function createServiceTokenSource(creds: ServiceCredentials, now: Clock = systemClock): ServiceTokenSource {
  const cache = new Map<string, { token: Promise<string>; renewAt: number }>();
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(creds.clientId)}:${encodeURIComponent(creds.clientSecret)}`).toString("base64")}`;

  async function fetchToken(audience: string, entry: { renewAt: number }): Promise<string> {
    let res: Response;
    try {
      res = await clientFetch(creds.tokenUrl, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", audience }).toString(),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (e) {
      throw new ConnectError("cannot reach auth for a service token", Code.Unavailable, undefined, undefined, e);
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!res.ok || typeof body.access_token !== "string" || typeof body.expires_in !== "number") {
      const code = res.status === 400 || res.status === 401 ? Code.Unauthenticated : Code.Unavailable;
      throw new ConnectError(`auth refused a service token for ${audience}: ${String(body.error ?? res.status)}`, code);
    }
    entry.renewAt = now().getTime() + body.expires_in * 1000 - RENEW_BEFORE_MS;
    return body.access_token;
  }

  return {
    tokenFor(audience) {
      const hit = cache.get(audience);
      if (hit && hit.renewAt > now().getTime()) return hit.token;
      // Until the fetch settles the entry is "fresh", so concurrent callers share it.
      const entry = { renewAt: Number.POSITIVE_INFINITY, token: Promise.resolve("") };
      entry.token = fetchToken(audience, entry);
      entry.token.catch(() => {
        entry.renewAt = now().getTime() + RETRY_AFTER_FAILURE_MS;
      });
      cache.set(audience, entry);
      return entry.token;
    },
  };
}

/** A client interceptor that sends this service's token for `audience` on every call. */
export function serviceTokenInterceptor(source: ServiceTokenSource, audience: string): Interceptor {
  return (next) => async (req) => {
    req.header.set(SERVICE_TOKEN_HEADER, await source.tokenFor(audience));
    return next(req);
  };
}

/** The form in which auth stores a client secret (SHA-256, hex): secrets are random, so no KDF is needed. */
export const hashClientSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** Whether `secret` matches a stored {@link hashClientSecret}, in constant time. */
export function clientSecretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashClientSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Auth's `SERVICE_CLIENTS` value for these clients: `name:sha256,...` (no secret in it). */
export const formatServiceClients = (secrets: Record<string, string>): string =>
  Object.entries(secrets)
    .map(([name, secret]) => `${name}:${hashClientSecret(secret)}`)
    .join(",");
