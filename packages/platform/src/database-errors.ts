import { Code, ConnectError } from "@connectrpc/connect";
import { causeChain } from "./store-helpers.js";

// The database could not be reached or went away: sockets refused, reset or timed out, and
// postgres.js's own names for a connection that timed out, closed or was ended under a query.
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

// SQLSTATEs of a server shutting down, restarting or full.
const NOT_ACCEPTING = new Set(["57P01", "57P02", "57P03", "53300"]);

// A statement cancelled: by statement_timeout, or by us when its call was abandoned.
const QUERY_CANCELED = "57014";

/**
 * The Connect error for a failure of the database itself rather than of the caller's request:
 * UNAVAILABLE when it cannot be reached (retrying later is right), DEADLINE_EXCEEDED when a
 * statement was cancelled for taking too long; undefined for anything else. Looks through
 * `cause` (drizzle wraps the driver's errors).
 */
export function databaseFailure(err: unknown): ConnectError | undefined {
  for (const e of causeChain(err)) {
    // A connect to a name with several addresses fails with one error per address.
    const code = e.code ?? (e instanceof AggregateError ? (e.errors[0] as { code?: unknown } | undefined)?.code : undefined);
    if (typeof code !== "string") continue;
    if (UNREACHABLE.has(code) || NOT_ACCEPTING.has(code)) {
      return new ConnectError("the database is unavailable; retry shortly", Code.Unavailable, undefined, undefined, err);
    }
    if (code === QUERY_CANCELED) return new ConnectError("the database took too long to answer", Code.DeadlineExceeded, undefined, undefined, err);
  }
  return undefined;
}
