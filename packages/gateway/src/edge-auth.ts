import { getOption, hasOption } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { edge } from "@triphub/contracts";
import { type Identity, type TokenVerifier, tokenError } from "@triphub/platform";
import type { RouteInfo } from "./transcoder/route-info.js";

// Reading a custom option decodes it from the method's options each time; the gateway asks on
// every request (public? cache policy?), so each method's answer is kept.
type EdgePolicy = { public: boolean; responseHeaders: readonly string[]; cacheControl: string; sharedMaxAgeMs: number; idempotencyKeyField: string };
const policies = new WeakMap<RouteInfo["method"], EdgePolicy>();

function policyOf(route: RouteInfo): EdgePolicy {
  let p = policies.get(route.method);
  if (!p) {
    const o = hasOption(route.method, edge) ? getOption(route.method, edge) : undefined;
    const cacheControl = !o || o.cacheMaxAgeSeconds === 0 ? "no-store" : `${o.cacheShared ? "public" : "private"}, max-age=${o.cacheMaxAgeSeconds}`;
    const sharedMaxAgeMs = o?.cacheShared ? o.cacheMaxAgeSeconds * 1000 : 0;
    p = { public: o?.public ?? false, responseHeaders: o?.responseHeaders ?? [], cacheControl, sharedMaxAgeMs, idempotencyKeyField: o?.idempotencyKeyField ?? "" };
    policies.set(route.method, p);
  }
  return p;
}

/**
 * Request headers that identify the caller: the bearer token, and the partner API key. Answers
 * to requests with either are never shared (see the transcoder's `credentialHeaders`).
 */
export const CREDENTIAL_HEADERS: readonly string[] = ["Authorization", "X-Api-Key"];

/** Whether an RPC is marked callable without a token (`option (triphub.options.v1.edge).public`). */
export function isPublic(route: RouteInfo): boolean {
  return policyOf(route).public;
}

/** Response metadata `route` lets through to the HTTP response, from its edge policy. */
export function responseHeadersOf(route: RouteInfo): readonly string[] {
  return policyOf(route).responseHeaders;
}

/** How long shared caches may keep a successful GET of `route` (0: not at all), from its edge policy. */
export function sharedMaxAgeMs(route: RouteInfo): number {
  return policyOf(route).sharedMaxAgeMs;
}

/**
 * The request field of `route` the Idempotency-Key header fills (e.g. `request_id`), from its
 * edge policy; undefined for none. The transcoder refuses to start if it is not a top-level string.
 */
export function idempotencyKeyFieldOf(route: RouteInfo): string | undefined {
  return policyOf(route).idempotencyKeyField || undefined;
}

/** `Cache-Control` for a successful GET of `route`, from its edge policy. */
export function cacheControlOf(route: RouteInfo): string {
  return policyOf(route).cacheControl;
}

/**
 * Authentication at the edge: every non-public RPC needs a valid bearer token, checked against
 * the auth service's JWKS before the call leaves the gateway. Services still check roles.
 * Returns who called (undefined for an anonymous call of a public RPC).
 */
export async function authenticate(route: RouteInfo, headers: Headers, verify: TokenVerifier): Promise<Identity | undefined> {
  const header = headers.get("authorization");
  if (!header) {
    if (isPublic(route)) return undefined;
    throw new ConnectError("this call needs an access token (Authorization: Bearer …)", Code.Unauthenticated);
  }
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match) throw new ConnectError("malformed authorization header", Code.Unauthenticated);
  try {
    return await verify(match[1]!);
  } catch (e) {
    // A public call with a bad token is still refused: the client should learn its token is bad.
    throw tokenError(e);
  }
}
