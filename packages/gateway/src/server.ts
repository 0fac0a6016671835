import type { DescService } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { createService, createTokenVerifier, type Logger, type ServiceHost, type TlsOptions, type TokenVerifier } from "@triphub/platform";
import { registerAccessLog, notesOf } from "./access-log.js";
import { clientAddress } from "./client-address.js";
import { answerClientError } from "./client-error.js";
import type { GatewayConfig } from "./config.js";
import { registerCors } from "./cors.js";
import { authenticate, cacheControlOf, CREDENTIAL_HEADERS, idempotencyKeyFieldOf, isPublic, responseHeadersOf, sharedMaxAgeMs } from "./edge-auth.js";
import { registerEdgeErrors } from "./edge-errors.js";
import { buildOpenApi, type DocComments, registerDocs } from "./openapi/index.js";
import { createTranscoder, fastifyTranscoder } from "./transcoder/index.js";
import { upstreamIdentity } from "./upstream-identity.js";
import { upstreamReadiness } from "./upstream-readiness.js";
import { parseUpstreams, upstreamTransport } from "./upstreams.js";

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
  > &
    Partial<Pick<GatewayConfig, "AUTH_TOKEN_URL" | "SERVICE_CLIENT_SECRET">>;
  log: Logger;
  /**
   * The edge's certificate (HTTPS). Its CA, when given, is the platform's: upstreams' certificates
   * are checked against it (with `cert` as the gateway's client certificate, through the
   * process's client TLS); the edge itself never asks clients for a certificate.
   */
  tls?: TlsOptions;
  /** Overrides the JWKS-backed verifier (tests). */
  verifyToken?: TokenVerifier;
  /** The proto comments for /openapi.json's descriptions; without them it has none from the protos. */
  docComments?: DocComments;
}

/**
 * The TripHub gateway: every REST route comes from the google.api.http rules of the routed
 * services (no route is written by hand), with edge authentication, CORS, an access log,
 * OpenAPI at /openapi.json and docs at /docs, on the same chassis as the services.
 */
export async function buildGateway(deps: GatewayDeps): Promise<ServiceHost> {
  const { config, log } = deps;
  const upstreams = parseUpstreams(config.UPSTREAMS);
  const verify =
    deps.verifyToken ??
    createTokenVerifier({ jwks: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
  const identity = upstreamIdentity(config, upstreams, log);
  const transports = new Map<DescService, Transport>(
    upstreams.map((u) => [u.service, upstreamTransport(u.url, config.UPSTREAM_PROTOCOL)]),
  );
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
      n.userId = (await authenticate(route, headers, verify))?.userId;
      return identity.metadataFor(route, clientAddress(raw, config.TRUST_PROXY));
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
    tls: deps.tls && { cert: deps.tls.cert, key: deps.tls.key },
    clientErrorHandler: answerClientError,
    // Ready when every upstream is: a gateway whose backends are down should get no traffic.
    isReady: upstreamReadiness(upstreams.map((u) => u.url)),
    httpRoutes: (app) => {
      registerEdgeErrors(app);
      registerCors(
        app,
        config.CORS_ORIGINS.split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      );
      registerAccessLog(app);
      // Over HTTPS, browsers are told to use nothing else for this host for a year (RFC 6797).
      if (deps.tls) {
        app.addHook("onRequest", (_req, reply, done) => {
          reply.header("strict-transport-security", "max-age=31536000");
          done();
        });
      }
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
