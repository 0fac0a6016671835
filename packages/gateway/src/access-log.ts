import { requestTraceFields } from "@triphub/platform";
import type { FastifyInstance, FastifyRequest } from "fastify";

/** What the gateway learned about a request while handling it, for its access-log line. */
export interface RequestNotes {
  /** The matched route template, e.g. `GET /api/v1/users/{user_id}`. */
  route?: string;
  userId?: string;
  /** The prefix of the partner API key the call came with (never the secret). */
  apiKey?: string;
}

const notes = new WeakMap<FastifyRequest["raw"], RequestNotes>();

/** Notes for the request whose raw message is `raw` (created on first use). */
export function notesOf(raw: FastifyRequest["raw"]): RequestNotes {
  let n = notes.get(raw);
  if (!n) {
    n = {};
    notes.set(raw, n);
  }
  return n;
}

/**
 * One line per request, in ECS fields: who (`user.id`, or the partner key's prefix, never the
 * key, a token or the client's address), what (`http.request.method`, `http.route`: the route
 * template, not the raw path, which carries ids and is unbounded), `http.response.status_code`,
 * and how long (`event.duration` in nanoseconds, `ms` for people), with the request's
 * `trace.id`/`span.id` when it is traced. Never the query, a header or the body.
 */
export function registerAccessLog(app: FastifyInstance): void {
  app.addHook("onResponse", (req, reply, done) => {
    const n = notes.get(req.raw);
    const quiet = req.url === "/healthz" || req.url === "/readyz";
    const level = quiet ? "debug" : "info";
    const route = n?.route?.slice(n.route.indexOf(" ") + 1);
    req.log[level](
      {
        "event.dataset": "gateway.access",
        "http.request.method": req.method,
        "http.route": route ?? (reply.statusCode === 404 ? "(no route)" : req.routeOptions.url),
        "http.response.status_code": reply.statusCode,
        "event.duration": Math.round(reply.elapsedTime * 1e6),
        ms: Math.round(reply.elapsedTime * 100) / 100,
        ...(n?.userId ? { "user.id": n.userId } : {}),
        ...(n?.apiKey ? { apiKeyPrefix: n.apiKey } : {}),
        ...requestTraceFields(req),
      },
      "http",
    );
    done();
  });
}
