import { setMaxListeners } from "node:events";
import type { Registry } from "@bufbuild/protobuf";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { createValidateInterceptor } from "@connectrpc/validate";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { Health } from "@triphub/contracts";
import type { JWTVerifyGetKey } from "jose";
import fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import type { Logger } from "pino";
import { accessLogInterceptor } from "./access-log.js";
import { authInterceptor, createTokenVerifier, type TokenVerifier } from "./auth.js";
import { callScopeInterceptor } from "./call-scope.js";
import { callerPolicyInterceptor, internalRoleInterceptor } from "./caller-policy.js";
import { chassisRouter } from "./chassis-router.js";
import { dualProtocolServerFactory, type TlsOptions } from "./dual-protocol-server.js";
import { errorInterceptor } from "./errors.js";
import { createHealthState, type HealthState, healthService } from "./health.js";
import { nulStringInterceptor } from "./nul-strings.js";
import { registerMetricsEndpoint, type MetricsAccess } from "./metrics/metrics-endpoint.js";
import { rpcMetricsInterceptor } from "./metrics/rpc-metrics.js";
import { recordCertificateExpiry } from "./metrics/tls-metrics.js";
import { createReadiness } from "./readiness.js";
import type { EventFeed } from "./events/event-feed.js";
import { eventMetadataInterceptor } from "./events/event-metadata-interceptor.js";
import { registerServerSpans, rpcSpanInterceptor } from "./tracing/server-spans.js";
import { isTracing } from "./tracing/tracing-setup.js";
import { contextValuesFrom, requestIdFrom } from "./request-context.js";
import type { Database } from "./database.js";
import type { LiveConfig } from "./live-config/live-config.js";
import { createServiceTokenVerifier, remoteKeys, type ServiceTokenVerifier } from "./service-token.js";
import type { Clock } from "./clock.js";

/** Where every service answers liveness probes: 200 while the process serves HTTP at all. */
export const LIVENESS_PATH = "/healthz";

/**
 * Where every service answers readiness probes: 200 once started while its database answers
 * (and its own `isReady`), 503 before, during an outage and from the start of shutdown.
 */
export const READINESS_PATH = "/readyz";

/** What {@link createService} needs to build a service process. */
export interface ServiceOptions {
  /** Short name for logs, e.g. "auth". */
  name: string;
  /** Fully-qualified names of the gRPC services hosted, for health (e.g. "triphub.auth.v1.AuthService"). */
  serviceNames: string[];
  /** Registers the ServiceImpls: `(router) => router.service(AuthService, impl)`. */
  routes: (router: ConnectRouter) => void;
  log: Logger;
  /**
   * Where tokens are checked: auth's keys (its JWKS URL, or auth's own key resolver), issuer and
   * the public API's audience. The chassis verifies users' access tokens against them, and
   * service tokens issued for this service (audience: `name`), both on `now`.
   */
  tokens?: { keys: string | JWTVerifyGetKey; issuer: string; audience: string };
  /** The clock token checks use (default: the system clock). */
  now?: Clock;
  /** Verifies bearer tokens instead of `tokens` (tests); with neither every call is anonymous. */
  verifyToken?: TokenVerifier;
  /**
   * Verifies service tokens instead of `tokens`. With neither, only an mTLS peer certificate
   * proves a calling service, and internal RPCs refuse every call that has none.
   */
  verifyServiceToken?: ServiceTokenVerifier;
  tls?: TlsOptions;
  /** How long shutdown waits for in-flight calls before aborting them. */
  drainTimeoutMs?: number;
  /** Extra plain HTTP routes (e.g. /.well-known/jwks.json). */
  httpRoutes?: (app: FastifyInstance) => void;
  /**
   * The service's database. The chassis owns its lifecycle: its ping is part of readiness, and
   * its pool is closed last on shutdown, after `onClose` (jobs and feeds that use it stop first).
   */
  database?: Pick<Database, "ping" | "close">;
  /** Readiness beyond "started" and the database's ping; counted as not ready past `readyTimeoutMs`. */
  isReady?: () => Promise<boolean>;
  /** How long /readyz waits for `isReady` before answering 503 (default 1 s). */
  readyTimeoutMs?: number;
  /** Runs after the server stopped accepting and drained: stop jobs, close caches (the database closes after). */
  onClose?: () => Promise<void>;
  /** Extra interceptors, innermost (after auth and validation). */
  interceptors?: Interceptor[];
  /**
   * The service's event feed (`createEventFeed`), when it publishes events. The chassis records
   * on each event an RPC writes who caused it, its request id and trace (`eventMetadataInterceptor`),
   * ends the feed's followers as shutdown begins (otherwise draining would wait for their streams
   * until the drain timeout) and closes it before `onClose`.
   */
  eventFeed?: Pick<EventFeed, "close">;
  /**
   * The message types that `google.protobuf.Any` fields of requests and responses may hold,
   * e.g. `createRegistry(file_..._events)` for the payloads of StreamEvents. The JSON form of
   * an Any names its type and spells out its fields, so without it Connect and gRPC-Web JSON
   * callers get INTERNAL for any message with an Any (binary callers need nothing).
   */
  jsonRegistry?: Registry;
  /**
   * Answers HTTP/1.1 requests Node's parser refuses before any route sees them (headers or URL
   * too large, malformed): Fastify's `clientErrorHandler`. Default: Fastify's.
   */
  clientErrorHandler?: FastifyServerOptions["clientErrorHandler"];
  /**
   * The service's central configuration (see `startLiveConfig`): the host offers it to the
   * service's parts (`host.liveConfig`) and stops watching it on close, after `onClose`.
   */
  liveConfig?: LiveConfig;
  /** Who may read /metrics (default "any"; the gateway, at the edge, says "private-direct"). */
  metricsAccess?: MetricsAccess;
}

/** A built service: listen, then close on shutdown. */
export interface ServiceHost {
  app: FastifyInstance;
  health: HealthState;
  /** The central configuration the service was built with, if any. */
  liveConfig?: LiveConfig;
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:7001`. */
  listen(opts: { port: number; host?: string }): Promise<string>;
  /** Marks NOT_SERVING, stops accepting, drains in-flight calls, then runs onClose. */
  close(): Promise<void>;
}

/**
 * Builds a service process: Fastify serving Connect, gRPC and gRPC-Web on one port (HTTP/2 and
 * HTTP/1.1), grpc.health.v1 plus /healthz and /readyz, Prometheus metrics at /metrics, request ids, an access log, request
 * validation, authentication context and error mapping. Never listens by itself.
 */
export async function createService(opts: ServiceOptions): Promise<ServiceHost> {
  const drainTimeoutMs = opts.drainTimeoutMs ?? 10_000;
  const health = createHealthState(opts.serviceNames);
  const drainDeadline = new AbortController();
  // connect-node listens on it once per call in flight (and lets go when the call ends): past
  // ten concurrent calls Node would warn of a leak that is not one.
  setMaxListeners(0, drainDeadline.signal);
  // What the router refuses before any route runs (a URL that does not percent-decode) goes
  // through the app's error handler like every other error, not as Fastify's own JSON.
  const frameworkErrors: FastifyServerOptions["frameworkErrors"] = (err, req, reply) => app.errorHandler.call(app, err, req, reply);
  const app = fastify({
    loggerInstance: opts.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    serverFactory: dualProtocolServerFactory(opts.tls),
    genReqId: (req) => requestIdFrom(req.headers["x-request-id"]),
    // Fastify's own 503 while closing is written raw, past every hook and the error handler;
    // the hook below answers it through the app's error handler instead, in the app's format.
    return503OnClosing: false,
    bodyLimit: 4 * 1024 * 1024,
    clientErrorHandler: opts.clientErrorHandler,
    frameworkErrors,
  });

  // First, so that every route registered after is run in its request's trace.
  registerServerSpans(app);

  let draining = false;
  app.addHook("preClose", (done) => {
    draining = true;
    done();
  });
  const feed = opts.eventFeed;
  if (feed) app.addHook("preClose", () => feed.close());
  app.addHook("onRequest", (req, reply, done) => {
    reply.header("x-request-id", req.id);
    done(draining ? Object.assign(new Error("Service Unavailable"), { statusCode: 503 }) : undefined);
  });

  // Handlers still running. Closing the server waits for their requests, but a request whose
  // client has gone counts as finished while its handler may still be at work, and onClose must
  // not close a pool under it.
  const running = new Set<Promise<unknown>>();
  const tracked: Interceptor = (next) => (req) => {
    const call = next(req);
    running.add(call);
    const forget = () => running.delete(call);
    call.then(forget, forget);
    return call;
  };

  const verifiers = tokenVerifiers(opts);

  // Order matters: metrics count what the caller gets, so they sit outside the error mapper;
  // the error mapper sees everything; the call's scope (its signal, for the
  // database) covers all that runs for it; the caller policy and auth run before validation so
  // callers who may not call an RPC learn nothing about the request shape; no string reaches a
  // handler with U+0000 in it.
  const interceptors: Interceptor[] = [
    tracked,
    ...(isTracing() ? [rpcSpanInterceptor()] : []),
    rpcMetricsInterceptor(),
    accessLogInterceptor(),
    errorInterceptor(opts.log),
    callScopeInterceptor(),
    callerPolicyInterceptor(verifiers.service),
    ...(verifiers.user ? [authInterceptor(verifiers.user)] : []),
    internalRoleInterceptor(),
    createValidateInterceptor(),
    nulStringInterceptor(),
    ...(opts.eventFeed ? [eventMetadataInterceptor()] : []),
    ...(opts.interceptors ?? []),
  ];

  const handlerOptions = {
    interceptors,
    acceptCompression: [compressionGzip, compressionBrotli],
    // Aborted only when draining outlasts drainTimeoutMs (see close()).
    shutdownSignal: drainDeadline.signal,
    jsonOptions: { ignoreUnknownFields: false, ...(opts.jsonRegistry ? { registry: opts.jsonRegistry } : {}) },
  };
  await app.register(fastifyConnectPlugin, {
    ...handlerOptions,
    routes: (connectRouter) => {
      const router = chassisRouter(connectRouter, handlerOptions);
      router.service(Health, healthService(health));
      opts.routes(router);
    },
    contextValues: (req) => contextValuesFrom(req),
  });

  app.get(LIVENESS_PATH, async () => ({ status: "ok" }));
  // A probe that hangs is worse than one that says no: the orchestrator's own timeout would
  // hide why, and a check that never answers keeps a dead instance in rotation.
  const readiness = createReadiness({ health, check: readinessCheck(opts), timeoutMs: opts.readyTimeoutMs ?? 1_000 });
  app.get(READINESS_PATH, async (_req, reply) => {
    const serving = await readiness.probe();
    return reply.code(serving ? 200 : 503).send({ status: serving ? "ready" : "not ready" });
  });
  registerMetricsEndpoint(app, opts.metricsAccess ?? "any");
  if (opts.tls) recordCertificateExpiry(opts.tls.cert);
  opts.httpRoutes?.(app);

  let closing: Promise<void> | undefined;
  return {
    app,
    health,
    liveConfig: opts.liveConfig,
    async listen({ port, host = "127.0.0.1" }) {
      await app.listen({ port, host });
      readiness.start();
      const addr = app.server.address();
      const actual = typeof addr === "object" && addr ? addr.port : port;
      const url = `${opts.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${actual}`;
      opts.log.info({ url }, `${opts.name} listening`);
      return url;
    },
    close() {
      closing ??= (async () => {
        readiness.stop();
        const abortCalls = setTimeout(() => drainDeadline.abort(new Error("shutdown")), drainTimeoutMs);
        let stopWaiting = () => {};
        const hardStop = setTimeout(() => {
          app.server.closeAllConnections();
          stopWaiting();
        }, drainTimeoutMs + 2_000);
        try {
          await app.close();
          // Past the deadline handlers have been told to stop; a handler that ignores it is not waited for.
          await Promise.race([Promise.allSettled([...running]), new Promise<void>((r) => (stopWaiting = r))]);
        } finally {
          clearTimeout(abortCalls);
          clearTimeout(hardStop);
          try {
            await opts.eventFeed?.close();
            await opts.onClose?.();
          } finally {
            await opts.liveConfig?.close();
            await opts.database?.close();
          }
        }
      })();
      return closing;
    },
  };
}

// Ready when the database answers and the service's own check (if any) says so.
function readinessCheck(opts: Pick<ServiceOptions, "database" | "isReady">): (() => Promise<boolean>) | undefined {
  const { database, isReady } = opts;
  if (!database) return isReady;
  return async () => (await database.ping()) && (isReady ? await isReady() : true);
}

// One key set for both kinds of token, so a rotated key is fetched once.
function tokenVerifiers(opts: ServiceOptions): { user?: TokenVerifier; service?: ServiceTokenVerifier } {
  const t = opts.tokens;
  const keys = t && (typeof t.keys === "string" ? remoteKeys(t.keys) : t.keys);
  return {
    user: opts.verifyToken ?? (keys && t && createTokenVerifier({ jwks: keys, issuer: t.issuer, audience: t.audience, now: opts.now })),
    service: opts.verifyServiceToken ?? (keys && t && createServiceTokenVerifier({ keys, issuer: t.issuer, audience: opts.name, now: opts.now })),
  };
}
