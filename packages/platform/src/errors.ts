import { create } from "@bufbuild/protobuf";

import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import {
  BadRequest_FieldViolationSchema,
  BadRequestSchema,
  ErrorInfoSchema,
} from "@triphub/contracts/google/rpc/error_details_pb";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import type { Logger } from "pino";
import { DomainError, type DomainErrorKind, type FieldViolation } from "./domain-error.js";

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
    return new ConnectError(err.message, codeOf(err.kind), undefined, details, err);
  }
  return new ConnectError("internal error", Code.Internal, undefined, undefined, err);
}

/** Caller mistakes are logged at info; server faults at error. */
const SERVER_FAULTS = new Set([Code.Internal, Code.Unknown, Code.DataLoss, Code.Unavailable, Code.DeadlineExceeded, Code.Unimplemented]);

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

/** Maps every thrown error through `toConnectError` and logs it once, at the right level. */
export function errorInterceptor(log: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (e) {
      const err = withBadRequest(toConnectError(e));
      const rpc = `${req.service.typeName}/${req.method.name}`;
      if (isServerFault(err.code)) log.error({ err: err.cause ?? err, rpc, code: Code[err.code] }, "rpc failed");
      return Promise.reject(err);
    }
  };
}

