import { DomainError } from "@triphub/platform/domain-error";

/**
 * How long a request_id is honoured (AIP-155 lets the API pick "any reasonable timeframe").
 * A day covers every client retry policy we know of, including a phone that retries after
 * coming back online, and keeps the key table small.
 */
export const REQUEST_ID_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * An AIP-155 request id as the stores record it. Keys are scoped to the caller and the method,
 * so two users (or CreateProperty and CreateRoomType) cannot collide on, or probe, each
 * other's ids. `fingerprint` is a digest of everything else in the request.
 */
export interface RequestKey {
  callerId: string;
  /** The RPC method name, e.g. "CreateProperty". */
  method: string;
  requestId: string;
  fingerprint: string;
}

/** A request id seen before: the request's fingerprint and the resource it created. */
export interface RecordedRequest {
  fingerprint: string;
  resourceId: string;
}

/** When a key recorded at `now` may be forgotten. */
export function requestIdExpiry(now: Date): Date {
  return new Date(now.getTime() + REQUEST_ID_TTL_MS);
}

/**
 * The id of the resource a repeated request must return, or an error when the request id was
 * used before for a different request.
 *
 * Code: INVALID_ARGUMENT. AIP-155 asks that a *duplicate* get the first response; a different
 * payload under the same id is not a duplicate but a client bug (an id reused for a new
 * request), and no retry of it can ever succeed: the caller must change the request (use a
 * new request_id). ALREADY_EXISTS would say the resource in the payload exists, which is not
 * what happened, and ABORTED or FAILED_PRECONDITION invite a retry that fails the same way.
 * The IETF Idempotency-Key draft answers the same case with 422, a client error.
 */
export function replayOf(recorded: RecordedRequest, key: RequestKey): string {
  if (recorded.fingerprint !== key.fingerprint) {
    throw new DomainError("invalid", `request_id ${key.requestId} was already used for a different ${key.method} request: send a new request_id`, {
      violations: [{ field: "request_id", description: "was already used with different request content" }],
      reason: "REQUEST_ID_REUSED",
    });
  }
  return recorded.resourceId;
}
