import { STATUS_CODES } from "node:http";
import { Code } from "@connectrpc/connect";
import type { FastifyError, FastifyInstance } from "fastify";

// Errors the gateway answers itself, before or beside the transcoder: a body or header too large,
// no route, a crash in a plain route, the 503 while shutting down. Clients see them in the same
// google.rpc.Status JSON as every RPC error, so one error parser serves the whole API.

/** How long clients are told to wait before retrying a 429 or 503 that does not say. */
export const RETRY_AFTER_SECONDS = 3;

/** A google.rpc.Status body (no details), as the transcoder writes RPC errors. */
export function statusBody(code: Code, message: string): string {
  return JSON.stringify({ code, message, details: [] });
}

/**
 * The gRPC code for an HTTP status the gateway answers itself: the inverse of the transcoder's
 * httpStatusOf where one exists; other client errors are INVALID_ARGUMENT (the request as sent
 * cannot be served), other server errors INTERNAL.
 */
export function codeOfHttpStatus(status: number): Code {
  switch (status) {
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.NotFound;
    case 405:
      return Code.Unimplemented;
    case 408:
    case 504:
      return Code.DeadlineExceeded;
    case 409:
      return Code.Aborted;
    case 429:
      return Code.ResourceExhausted;
    case 499:
      return Code.Canceled;
    case 501:
      return Code.Unimplemented;
    case 503:
      return Code.Unavailable;
    default:
      return status < 500 ? Code.InvalidArgument : Code.Internal;
  }
}

// Our own words for what Fastify and Node refuse: their messages name settings and internals.
const MESSAGES: Record<number, string> = {
  400: "malformed request",
  404: "Not Found",
  408: "the request took too long to arrive",
  413: "request body too large",
  414: "request URL too long",
  415: "unsupported media type",
  431: "request headers too large",
  503: "the gateway is shutting down; retry shortly",
};

/** The message a client sees for an HTTP status the gateway answers itself. */
export function messageOfHttpStatus(status: number): string {
  return MESSAGES[status] ?? (status >= 500 ? "internal error" : (STATUS_CODES[status] ?? "request refused"));
}

const JSON_TYPE = "application/json";

/**
 * Renders every error the gateway's Fastify app answers as google.rpc.Status JSON: thrown
 * errors (a body past the limit, the 503 while closing, a crash), requests no route takes
 * (an OPTIONS that is not a CORS preflight of an allowed origin), and adds to every response
 * `X-Content-Type-Options: nosniff` (no body is ever to be sniffed into HTML) and a default
 * `Retry-After` to 429 and 503 answers that have none.
 */
export function registerEdgeErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500 && status !== 503) req.log.error({ err }, "request failed");
    else req.log.info({ code: err.code, status }, "request refused");
    return reply.code(status).type(JSON_TYPE).send(statusBody(codeOfHttpStatus(status), messageOfHttpStatus(status)));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).type(JSON_TYPE).send(statusBody(Code.NotFound, "Not Found")));
  app.addHook("onSend", (_req, reply, payload, done) => {
    reply.header("x-content-type-options", "nosniff");
    if ((reply.statusCode === 429 || reply.statusCode === 503) && !reply.hasHeader("retry-after")) {
      reply.header("retry-after", String(RETRY_AFTER_SECONDS));
    }
    done(null, payload);
  });
}
