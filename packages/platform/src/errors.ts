import { create } from "@bufbuild/protobuf";

import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import {
  BadRequest_FieldViolationSchema,
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "@triphub/contracts/google/rpc/error_details_pb";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import type { Logger } from "pino";
import { databaseFailure } from "./database-errors.js";
import { DomainError, type DomainErrorKind, type FieldViolation } from "./domain-error.js";
import { boundError } from "./error-bounds.js";

/** The error domain carried in `google.rpc.ErrorInfo` details. */
export const ERROR_DOMAIN = "triphub.io";

function codeOf(kind: DomainErrorKind): Code {
  switch (kind) {
    case "invalid":
      return Code.InvalidArgument;
    case "not_found":
      return Code.NotFound;
    case "already_exists":
      return Code.AlreadyExists;
    case "conflict":
      return Code.Aborted;
    case "precondition":
      return Code.FailedPrecondition;
    case "unauthenticated":
      return Code.Unauthenticated;
    case "forbidden":
      return Code.PermissionDenied;
    case "exhausted":
      return Code.ResourceExhausted;
    case "unavailable":
      return Code.Unavailable;
    default: {
      const unknownKind: never = kind;
      throw new Error(`unmapped domain error kind ${String(unknownKind)}`);
    }
  }
}

/** `google.rpc.BadRequest`: the detail REST clients read field violations from. */
export function badRequestDetail(violations: FieldViolation[]) {
  return {
    desc: BadRequestSchema,
    value: create(BadRequestSchema, {
      fieldViolations: violations.map((v) => create(BadRequest_FieldViolationSchema, v)),
    }),
  };
}

/**
 * The single place that turns anything thrown by a handler into what the caller sees.
 * DomainErrors keep their message; anything unexpected becomes INTERNAL with a generic message
 * and the original as `cause` (logged, never sent).
 */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof DomainError) {
    const details = [];
    if (err.details.violations?.length) details.push(badRequestDetail(err.details.violations));
    if (err.details.reason) {
      details.push({
        desc: ErrorInfoSchema,
        value: create(ErrorInfoSchema, { reason: err.details.reason, domain: ERROR_DOMAIN }),
      });
    }
    if (err.details.retryAfterSeconds !== undefined) {
      const seconds = BigInt(Math.max(0, Math.ceil(err.details.retryAfterSeconds)));
      details.push({ desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: { seconds } }) });
    }
    return new ConnectError(err.message, codeOf(err.kind), undefined, details, err);
  }
  return databaseFailure(err) ?? new ConnectError("internal error", Code.Internal, undefined, undefined, err);
}

/** Caller mistakes are logged at info; server faults at error. */
const SERVER_FAULTS = new Set([Code.Internal, Code.Unknown, Code.DataLoss, Code.Unavailable, Code.DeadlineExceeded]);

/** Whether an error code means the server (not the caller) is at fault. */
export const isServerFault = (code: Code) => SERVER_FAULTS.has(code);

/**
 * protovalidate reports violations as `buf.validate.Violations`; we add the same list as
 * `google.rpc.BadRequest` so every INVALID_ARGUMENT with fields has one shape for clients.
 */
export function withBadRequest(err: ConnectError): ConnectError {
  if (err.code !== Code.InvalidArgument) return err;
  const found = err.findDetails(ViolationsSchema);
  if (found.length === 0 || err.findDetails(BadRequestSchema).length > 0) return err;
  const violations = found.flatMap((v) =>
    v.violations.map((x) => ({
      field: fieldPathString(x.field?.elements ?? []),
      description: x.message || x.ruleId,
    })),
  );
  const mapped = new ConnectError(err.rawMessage, err.code, err.metadata, [badRequestDetail(violations)], err.cause);
  mapped.details.unshift(...err.details);
  return mapped;
}

function fieldPathString(elements: { fieldName?: string; subscript: { case?: string; value?: unknown } }[]) {
  return elements
    .map((e) => (e.subscript.case ? `${e.fieldName}[${String(e.subscript.value)}]` : e.fieldName))
    .join(".");
}

/**
 * What of a server fault is safe to log. Database errors carry the query's parameters and the
 * offending values (emails, hashes) in their message and `detail`; keep only their shape.
 */
export function loggableError(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const db = e.cause as { code?: unknown; constraint_name?: unknown; table_name?: unknown } | undefined;
  const fromDb = "query" in e || "params" in e || (typeof db?.code === "string" && /^[0-9A-Z]{5}$/.test(db.code));
  if (!fromDb) return e;
  return {
    type: e.name,
    message: e.message.split("\nparams:")[0],
    sqlState: db?.code,
    constraint: db?.constraint_name,
    table: db?.table_name,
    // The stack's first lines repeat the message; keep only the frames.
    stack: e.stack
      ?.split("\n")
      .filter((l) => l.startsWith("    at "))
      .join("\n"),
  };
}

/**
 * Maps every thrown error through `toConnectError` (also errors raised while a response
 * stream is being read), bounds what it sends (see error-bounds.ts) and logs server faults
 * once, without personal data.
 */
export function errorInterceptor(log: Logger): Interceptor {
  return (next) => async (req) => {
    const rpc = `${req.service.typeName}/${req.method.name}`;
    const mapped = (e: unknown) => {
      const err = boundError(withBadRequest(toConnectError(e)));
      if (isServerFault(err.code)) log.error({ err: loggableError(err.cause ?? err), rpc, code: Code[err.code] }, "rpc failed");
      return err;
    };
    try {
      const res = await next(req);
      if (!res.stream) return res;
      const messages = res.message;
      return {
        ...res,
        message: (async function* () {
          try {
            yield* messages;
          } catch (e) {
            throw mapped(e);
          }
        })(),
      };
    } catch (e) {
      throw mapped(e);
    }
  };
}

