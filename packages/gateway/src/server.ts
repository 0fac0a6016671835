import type { DescService } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import {
  type Clock,
  createService,
  createTokenVerifier,
  type InstanceResolver,
  type LiveConfig,
  type Logger,
  systemClock,
  type ServiceHost,
  type TlsOptions,
  type TokenVerifier,
  nameRequestSpan,
  tracedTransport,
} from "@triphub/platform";
import { registerAccessLog, notesOf } from "./access-log.js";
import { authenticateApiKey, createApiKeyVerifier } from "./api-key-auth.js";
import { clientAddress } from "./client-address.js";
import { answerClientError } from "./client-error.js";
import type { GatewayConfig } from "./config.js";
import { registerCors } from "./cors.js";
import { authenticate, cacheControlOf, CREDENTIAL_HEADERS, idempotencyKeyFieldOf, isPublic, responseHeadersOf, sharedMaxAgeMs } from "./edge-auth.js";
import { registerEdgeErrors } from "./edge-errors.js";
import { buildOpenApi, type DocComments, registerDocs } from "./openapi/index.js";
import { configuredQuotas } from "./rate-limit/configured-quotas.js";
import { createEdgeRateLimit } from "./rate-limit/edge-rate-limit.js";
import { registerRouteMetrics } from "./route-metrics.js";
import { registerSecurityHeaders } from "./security-headers.js";
import { withSessionCheck } from "./session-check.js";
import { sessionSources } from "./session-sources.js";
import { createTranscoder, fastifyTranscoder } from "./transcoder/index.js";
import { upstreamIdentity } from "./upstream-identity.js";
import { upstreamReadiness } from "./upstream-readiness.js";
import { balancedUpstreamTransport, parseUpstreams, type Upstream, upstreamTarget, upstreamTransport } from "./upstreams.js";

/** What {@link buildGateway} needs; tests build it the same way main.ts does. */
export interface GatewayDeps {
  config: Pick<
    GatewayConfig,
    | "UPSTREAMS"
    | "AUTH_JWKS_URL"
    | "AUTH_ISSUER"
    | "AUTH_AUDIENCE"
    | "CORS_ORIGINS"
    | "UPSTREAM_TIMEOUT_MS"
    | "UPSTREAM_PROTOCOL"
    | "EDGE_CACHE_TTL_MS"
    | "IGNORED_QUERY_PARAMS"
    | "PUBLIC_URL"
    | "TRUST_PROXY"
    | "RATE_LIMITS"
    | "REDIS_URL"
    | "RATE_LIMIT_REDIS_TIMEOUT_MS"
  > &
    Partial<Pick<GatewayConfig, "AUTH_TOKEN_URL" | "SERVICE_CLIENT_SECRET" | "AUTH_URL" | "API_KEY_CACHE_TTL_MS">>;
  log: Logger;
  /**
   * The edge's certificate (HTTPS). Its CA, when given, is the platform's: upstreams' certificates
   * are checked against it (with `cert` as the gateway's client certificate, through the
   * process's client TLS); the edge itself never asks clients for a certificate.
   */
  tls?: TlsOptions;
  /** Overrides the JWKS-backed verifier and its session check (tests). */
  verifyToken?: TokenVerifier;
  /** The proto comments for /openapi.json's descriptions; without them it has none from the protos. */
  docComments?: DocComments;
  /** The clock rate limits count with (tests); default the system's. */
  now?: Clock;
  /**
   * The gateway's central configuration (CONFIG_URL): its rate-limit quotas replace the
   * budgets live; log level and feature flags are the chassis's.
   */
  liveConfig?: LiveConfig;
  /**
   * Where the instances of each upstream are found, by UPSTREAMS name, whatever UPSTREAMS says
   * (tests). Default: what each UPSTREAMS entry names (URLs, registry:///, dns:///). The
   * services routed are always UPSTREAMS's.
   */
  resolver?: InstanceResolver;
}

/**
 * The TripHub gateway: every REST route comes from the google.api.http rules of the routed
 * services (no route is written by hand), with edge authentication, CORS, an access log,
 * OpenAPI at /openapi.json and docs at /docs, on the same chassis as the services.
 */
export async function buildGateway(deps: GatewayDeps): Promise<ServiceHost> {
  const { config, log } = deps;
  const upstreams = parseUpstreams(config.UPSTREAMS);
  const identity = upstreamIdentity(config, upstreams, log);
  const rateLimit = await createEdgeRateLimit({
    budgets: config.RATE_LIMITS,
    redisUrl: config.REDIS_URL,
    redisTimeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
    log,
    now: deps.now ?? systemClock,
  });
  deps.liveConfig?.use(configuredQuotas(rateLimit));
  const verifyApiKey = createApiKeyVerifier({
    authUrl: config.AUTH_URL ?? "http://127.0.0.1:7101",
    tokenUrl: config.AUTH_TOKEN_URL,
    clientSecret: config.SERVICE_CLIENT_SECRET,
    cacheTtlMs: config.API_KEY_CACHE_TTL_MS ?? 5_000,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    log,
  });
  const instancesOf = (u: Upstream) => (deps.resolver ? { resolver: deps.resolver, service: u.name } : upstreamTarget(u));
  const balanced = upstreams.map((u) => ({ service: u.service, transport: balancedUpstreamTransport(instancesOf(u), config.UPSTREAM_PROTOCOL) }));
  // Each call carries the request's trace context to the service (with tracing on).
  const transports = new Map<DescService, Transport>(balanced.map((b) => [b.service, tracedTransport(b.transport)]));
  // Auth's own port serves its JWKS: where CheckSession goes when auth is not routed.
  const authTransport = transports.get(AuthService) ?? tracedTransport(upstreamTransport(new URL(config.AUTH_JWKS_URL).origin, config.UPSTREAM_PROTOCOL));
  const sessions = sessionSources(config, authTransport, log);
  const signed = createTokenVerifier({ jwks: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
  // Signature and claims first, then whether the token's session has ended. A verifier a test
  // injects replaces both.
  const verify = deps.verifyToken ?? (sessions.list || sessions.askAuth ? withSessionCheck(signed, { ...sessions, log }) : signed);
  /** Who calls: a partner's API key, or else an access token (or nobody, on a public route). */
  const authenticateEither = async (route: Parameters<typeof authenticate>[0], headers: Headers) => {
    const keyed = await authenticateApiKey(route, headers, verifyApiKey);
    if (keyed) return { keyed, userId: keyed.key.userId };
    return { keyed: undefined, userId: (await authenticate(route, headers, verify))?.userId };
  };
  const transcoder = createTranscoder({
    services: upstreams.map((u) => u.service),
    transportFor: (service) => transports.get(service)!,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    cacheControl: cacheControlOf,
    credentialHeaders: CREDENTIAL_HEADERS,
    sharedCacheTtlMs: (route) => Math.min(sharedMaxAgeMs(route), config.EDGE_CACHE_TTL_MS),
    responseHeaders: responseHeadersOf,
    ignoredQueryParameters: config.IGNORED_QUERY_PARAMS,
    idempotencyKeyField: idempotencyKeyFieldOf,
    async beforeCall({ route, headers, raw }) {
      const n = notesOf(raw);
      n.route = `${route.httpMethod} ${route.template}`;
      nameRequestSpan(raw, route.httpMethod, route.template);
      const address = clientAddress(raw, config.TRUST_PROXY);
      // A partner's API key stands in for an access token: upstream sees the owner's token
      // minted for the key. A request with a bad credential still counts against its address
      // and key: guessing tokens or keys must cost budget like anything else.
      const who = await authenticateEither(route, headers).then(
        (w) => ({ ...w, refusal: undefined }),
        (refusal: unknown) => ({ keyed: undefined, userId: undefined, refusal }),
      );
      n.userId = who.userId;
      if (who.keyed) n.apiKey = who.keyed.key.prefix;
      await rateLimit.admit(route, { address, userId: n.userId, headers }, raw);
      if (who.refusal !== undefined) throw who.refusal;
      const added = await identity.metadataFor(route, address);
      return who.keyed ? [...who.keyed.metadata, ...added] : added;
    },
  });
  const openApi = buildOpenApi({
    routes: transcoder.routes,
    title: "TripHub API",
    version: "v1",
    description: "Travel booking: accounts, accommodations, reservations, payments and reviews.",
    servers: config.PUBLIC_URL ? [{ url: config.PUBLIC_URL }] : undefined,
    isPublic,
    comments: deps.docComments,
  });

  return createService({
    name: "gateway",
    serviceNames: [],
    routes: () => {},
    log,
    liveConfig: deps.liveConfig,
    tls: deps.tls && { cert: deps.tls.cert, key: deps.tls.key },
    clientErrorHandler: answerClientError,
    // The edge faces the internet: its metrics only to scrapers inside the network.
    metricsAccess: "private-direct",
    // Ready when every upstream has a ready instance: a gateway whose backends are down should get no traffic.
    isReady: upstreamReadiness(() => balanced.map((b) => b.transport.instances().map((i) => i.url))),
    onClose: async () => {
      for (const b of balanced) await b.transport.close();
      await sessions.close();
      await rateLimit.close();
    },
    httpRoutes: (app) => {
      registerEdgeErrors(app);
      registerSecurityHeaders(app, { tls: deps.tls !== undefined, trustProxy: config.TRUST_PROXY });
      registerCors(
        app,
        config.CORS_ORIGINS.split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      );
      registerAccessLog(app);
      registerRouteMetrics(app);
      rateLimit.register(app);
      // Backends log under the gateway's request id (the client's, when well-formed), so one id
      // follows a request through every service.
      app.addHook("onRequest", (req, _reply, done) => {
        req.headers["x-request-id"] = String(req.id);
        done();
      });
      app.get("/openapi.json", async () => openApi);
      registerDocs(app, { specUrl: "/openapi.json", path: "/docs", apiOrigins: config.PUBLIC_URL ? [new URL(config.PUBLIC_URL).origin] : [] });
      fastifyTranscoder(app, transcoder);
    },
  });
}
