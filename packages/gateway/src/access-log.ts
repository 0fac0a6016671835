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
 * One line per request: method, route template (not the raw path, which may carry ids and
 * is unbounded), status, duration, user id, API key prefix. Never the token, the query or the body.
 */
export function registerAccessLog(app: FastifyInstance): void {
  app.addHook("onResponse", (req, reply, done) => {
    const n = notes.get(req.raw);
    const quiet = req.url === "/healthz" || req.url === "/readyz";
    req.log[quiet ? "debug" : "info"](
      {
        method: req.method,
        route: n?.route ?? (reply.statusCode === 404 ? "(no route)" : req.routeOptions.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        userId: n?.userId,
        apiKey: n?.apiKey,
      },
      "http",
    );
    done();
  });
}
