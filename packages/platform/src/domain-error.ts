/** What went wrong, in domain terms. `toConnectError()` is the one place that maps it to a code. */
export type DomainErrorKind =
  | "invalid" // the request breaks a business rule (INVALID_ARGUMENT)
  | "not_found" // NOT_FOUND
  | "already_exists" // ALREADY_EXISTS
  | "conflict" // a concurrent change won; retry with fresh state (ABORTED)
  | "precondition" // the system is not in a state that allows this (FAILED_PRECONDITION)
  | "unauthenticated" // no or bad credentials (UNAUTHENTICATED)
  | "forbidden" // authenticated but not allowed (PERMISSION_DENIED)
  | "exhausted" // a rate or quota limit (RESOURCE_EXHAUSTED)
  | "unavailable"; // a dependency is down; safe to retry (UNAVAILABLE)

/** One field that failed a business rule, as `google.rpc.BadRequest` would name it. */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * An error domain code throws. Its message is safe to show to the caller; put anything
 * sensitive in `cause`, which is logged but never sent.
 */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: {
      violations?: FieldViolation[];
      reason?: string;
      /** When trying again can succeed (a limit's window ends): sent as google.rpc.RetryInfo. */
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/** Shorthand constructors, so domain code reads `throw notFound("user", id)`. */
export const notFound = (what: string, id: string) => new DomainError("not_found", `${what} ${id} not found`);
export const invalid = (field: string, description: string) =>
  new DomainError("invalid", `${field}: ${description}`, { violations: [{ field, description }] });
