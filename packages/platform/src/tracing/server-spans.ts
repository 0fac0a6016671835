import { type Context, context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { isServerFault } from "../errors.js";
import { failed, traceLogFields, tracer } from "./spans.js";
import { isTracing } from "./tracing-setup.js";

interface Traced {
  span: Span;
  ctx: Context;
}

// By the raw request, which every hook of a request sees (HTTP/1.1 and HTTP/2 alike).
const traced = new WeakMap<object, Traced>();

/** Probes and scrapes every few seconds would bury the traces worth looking at. */
const UNTRACED = /^\/(healthz|readyz|metrics)$|^\/grpc\.health\.v1\./;

/**
 * A SERVER span for every request a service answers (not probes, scrapes or health checks),
 * child of the caller's span when the request carries W3C `traceparent`, and the active span
 * while the route's handler runs: everything it calls, logs or writes belongs to the trace.
 * Registered before any route, so that each route's handler is wrapped. Nothing when tracing is off.
 */
export function registerServerSpans(app: FastifyInstance): void {
  if (!isTracing()) return;
  // Hooks of one request do not share an async context (the body arrives on socket events), so
  // the handler enters the request's context itself.
  app.addHook("onRoute", (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, req, reply) {
      const t = traced.get(req.raw);
      return t ? context.with(t.ctx, handler, this, req, reply) : handler.call(this, req, reply);
    };
  });
  app.addHook("onRequest", (req, _reply, done) => {
    const path = req.url.split("?", 1)[0] ?? "";
    if (UNTRACED.test(path)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const route = req.routeOptions.url;
    const span = tracer().startSpan(
      route ? `${req.method} ${route}` : req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": req.method,
          ...(route ? { "http.route": route } : {}),
          "url.scheme": req.protocol,
          "network.protocol.version": req.raw.httpVersion,
        },
      },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    traced.set(req.raw, { span, ctx });
    context.with(ctx, done);
  });
  app.addHook("onResponse", (req, reply, done) => {
    const t = traced.get(req.raw);
    if (t) {
      t.span.setAttribute("http.response.status_code", reply.statusCode);
      if (reply.statusCode >= 500) t.span.setStatus({ code: SpanStatusCode.ERROR });
      t.span.end();
      traced.delete(req.raw);
    }
    done();
  });
  app.addHook("onRequestAbort", (req, done) => {
    const t = traced.get(req.raw);
    if (t) {
      t.span.setAttribute("error.type", "client_aborted");
      t.span.end();
      traced.delete(req.raw);
    }
    done();
  });
}

/**
 * Names the span of the request whose raw message is `raw` after what it did, e.g. the
 * gateway's route (`POST /api/v1/reservations`): Fastify only knows the gateway's catch-all.
 */
export function nameRequestSpan(raw: object, method: string, route: string): void {
  const t = traced.get(raw);
  if (!t) return;
  t.span.updateName(`${method} ${route}`);
  t.span.setAttribute("http.route", route);
}

/** `trace.id` and `span.id` of the request's span, for lines logged outside its handler (the access log). */
export function requestTraceFields(req: FastifyRequest): Record<string, string> {
  const t = traced.get(req.raw);
  return t ? traceLogFields(t.ctx) : {};
}

/**
 * Makes the request's span an RPC span: named `<service>/<method>`, with the RPC system and its
 * status code. A streaming method's span covers the call, and what its stream does after the
 * handler returned is not traced (a feed followed for hours would gather endless children).
 */
export function rpcSpanInterceptor(): Interceptor {
  return (next) => async (req) => {
    const span = trace.getActiveSpan();
    if (!span) return next(req);
    const grpc = req.header.get("content-type")?.startsWith("application/grpc") ?? false;
    span.updateName(`${req.service.typeName}/${req.method.name}`);
    span.setAttributes({ "rpc.system": grpc ? "grpc" : "connect_rpc", "rpc.service": req.service.typeName, "rpc.method": req.method.name });
    try {
      const res = await next(req);
      if (grpc) span.setAttribute("rpc.grpc.status_code", 0);
      if (!res.stream) return res;
      const messages = res.message[Symbol.asyncIterator]();
      const quiet = suppressTracing(ROOT_CONTEXT);
      return {
        ...res,
        message: {
          [Symbol.asyncIterator]: () => ({
            next: () => context.with(quiet, () => messages.next()),
            return: (value?: unknown) => context.with(quiet, () => messages.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined })),
          }),
        },
      };
    } catch (e) {
      const code = ConnectError.from(e).code;
      if (grpc) span.setAttribute("rpc.grpc.status_code", code);
      else span.setAttribute("rpc.connect_rpc.error_code", connectCodeName(code));
      if (isServerFault(code)) failed(span, e, Code[code]);
      throw e;
    }
  };
}

// Connect's names for codes are snake_case ("not_found"), the enum's PascalCase.
const connectCodeName = (code: Code) => Code[code].replace(/[A-Z]/g, (c, at: number) => (at > 0 ? "_" : "") + c.toLowerCase());
