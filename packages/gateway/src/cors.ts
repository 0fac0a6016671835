import type { FastifyInstance } from "fastify";

const ALLOWED_HEADERS = "authorization, content-type, idempotency-key, x-request-id, accept-language, traceparent, tracestate";
const EXPOSED_HEADERS = "x-request-id, etag, retry-after, ratelimit, ratelimit-policy";

/**
 * CORS for browser apps. `origins` is a list of exact origins, or ["*"]. Preflights are answered
 * here so they never reach a backend; credentials are not allowed with "*".
 */
export function registerCors(app: FastifyInstance, origins: string[]): void {
  if (origins.length === 0) return;
  const any = origins.includes("*");
  const allowed = new Set(origins);
  app.addHook("onRequest", (req, reply, done) => {
    const origin = req.headers.origin;
    if (!origin || !(any || allowed.has(origin))) return done();
    reply.header("access-control-allow-origin", any ? "*" : origin);
    if (!any) reply.header("vary", "Origin");
    reply.header("access-control-expose-headers", EXPOSED_HEADERS);
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
      reply
        .header("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE")
        .header("access-control-allow-headers", ALLOWED_HEADERS)
        .header("access-control-max-age", "600")
        .code(204)
        .send();
      return;
    }
    done();
  });
}
