import { type EnvVar, env, loadConfig, serviceConfigSpec, serviceIdentityConfigSpec } from "@triphub/platform";
import { rateLimitsVar } from "./rate-limit/budgets.js";

/**
 * Query parameter names, comma-separated; a trailing `*` matches every name with that prefix
 * (`_,utm_*`). Parsed into the transcoder's `ignoredQueryParameters`.
 */
const queryParameterNames: EnvVar<(string | RegExp)[]> = {
  expect: "comma-separated query parameter names, `prefix*` for a prefix",
  parse: (raw) =>
    (raw ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((name) => (name.endsWith("*") ? new RegExp(`^${name.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) : name)),
};

/** The gateway's environment, with the defaults `npm start` uses. */
export const gatewayConfigSpec = {
  ...serviceConfigSpec(8080),
  /** The gateway's service identity: services believe the client address only from it. */
  ...serviceIdentityConfigSpec,
  /**
   * One proxy or load balancer in front of the gateway is trusted: the client address is the
   * last X-Forwarded-For entry (the one that proxy appended). Off: the socket's peer.
   */
  TRUST_PROXY: env.bool(false),
  /**
   * Backends to route to, comma-separated `<service>=<base URL>`:
   * `auth=http://127.0.0.1:7101,accommodation=http://127.0.0.1:7102`. A service with several
   * instances lists them separated by `|`: `accommodation=http://10.0.0.5:7102|http://10.0.0.6:7102`;
   * the gateway balances calls over them (least outstanding requests), sends a read an instance
   * fails to another, and takes an instance that keeps failing out for a while. The gateway is
   * ready while every service has a ready instance.
   */
  UPSTREAMS: env.string("auth=http://127.0.0.1:7101"),
  /** Where access tokens are verified: the auth service's JWKS. */
  AUTH_JWKS_URL: env.url("http://127.0.0.1:7101/.well-known/jwks.json", ["http", "https"]),
  AUTH_ISSUER: env.string("triphub-auth"),
  /** The auth service, where partner API keys are verified (VerifyApiKey, as the gateway). */
  AUTH_URL: env.serviceUrl("http://127.0.0.1:7101"),
  /**
   * How long the answer for an API key is reused: a revoked key is refused within this. 0 asks
   * auth on every request.
   */
  API_KEY_CACHE_TTL_MS: env.int({ default: 5_000, min: 0, max: 60_000 }),
  AUTH_AUDIENCE: env.string("triphub"),
  /** Browser origins allowed to call the API (comma-separated, or `*`); empty: no CORS. */
  CORS_ORIGINS: env.string(""),
  UPSTREAM_TIMEOUT_MS: env.int({ default: 10_000, min: 100, max: 120_000 }),
  /** `grpc` (default) or `connect` (binary Connect over HTTP/2: less CPU per call). */
  UPSTREAM_PROTOCOL: env.oneOf(["grpc", "connect"] as const, "grpc"),
  // Longest an anonymous GET that shared caches may keep is answered from the gateway's own
  // response cache (at most the route's max-age); 0 turns that cache off.
  EDGE_CACHE_TTL_MS: env.int({ default: 2_000, min: 0, max: 60_000 }),
  /**
   * Query parameters the REST API skips instead of refusing as unknown, e.g. `_,utm_*` for
   * cache-busters and campaign tags. A name that is a request field is still bound. Default:
   * none (strict).
   */
  IGNORED_QUERY_PARAMS: queryParameterNames,
  /** The URL clients use to reach the gateway, for the OpenAPI `servers` entry. */
  PUBLIC_URL: env.optionalUrl(["http", "https"]),
  /**
   * Rate-limit budgets by route class and subject (src/rate-limit/budgets.ts): unset for the
   * defaults, `off`, or entries that replace single defaults, e.g. `search.ip=30/m, login.ip=5/10m`.
   */
  RATE_LIMITS: rateLimitsVar,
  /**
   * The platform's Redis: every gateway instance counts rate limits in it, and reads the ended
   * sessions auth writes there (auth's REDIS_URL) on every authenticated request. Unset: each
   * instance counts on its own, and asks auth's CheckSession about sessions.
   */
  REDIS_URL: env.optionalUrl(["redis", "rediss"]),
  /** Longest a request waits for Redis before it is counted in this instance's memory instead. */
  RATE_LIMIT_REDIS_TIMEOUT_MS: env.int({ default: 100, min: 1, max: 5_000 }),
};

/** The gateway's configuration. */
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** Reads the gateway configuration; throws a ConfigError naming every bad variable. */
export const loadGatewayConfig = (source: Record<string, string | undefined>) => loadConfig(gatewayConfigSpec, source);
