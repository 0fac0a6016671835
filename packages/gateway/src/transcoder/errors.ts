import { create, fromBinary, type JsonObject, type JsonValue, type Registry, toJson } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequest_FieldViolationSchema, BadRequestSchema } from "@triphub/contracts/google/rpc/error_details_pb";

/**
 * The HTTP status for a gRPC status code: grpc-gateway's `runtime.HTTPStatusFromCode`
 * (https://github.com/grpc-ecosystem/grpc-gateway/blob/main/runtime/errors.go), which follows
 * the mapping documented in google/rpc/code.proto. The one table the gateway uses.
 */
export function httpStatusOf(code: Code): number {
  switch (code) {
    case Code.Canceled:
      // 499 Client Closed Request (nginx's); grpc-gateway v2 uses it too.
      return 499;
    case Code.Unknown:
      return 500;
    case Code.InvalidArgument:
      return 400;
    case Code.DeadlineExceeded:
      return 504;
    case Code.NotFound:
      return 404;
    case Code.AlreadyExists:
      return 409;
    case Code.PermissionDenied:
      return 403;
    case Code.ResourceExhausted:
      return 429;
    case Code.FailedPrecondition:
      // grpc-gateway v2 answers 400 (v1 used 412, which is about HTTP conditional headers).
      return 400;
    case Code.Aborted:
      return 409;
    case Code.OutOfRange:
      return 400;
    case Code.Unimplemented:
      return 501;
    case Code.Internal:
      return 500;
    case Code.Unavailable:
      return 503;
    case Code.DataLoss:
      return 500;
    case Code.Unauthenticated:
      return 401;
    default: {
      // Code has no OK member in connect-es; 0 (and anything out of range) lands here.
      const n: number = code;
      return n === 0 ? 200 : 500;
    }
  }
}

/** An INVALID_ARGUMENT about one request field, with a google.rpc.BadRequest detail naming it. */
export function invalidField(field: string, description: string): ConnectError {
  return new ConnectError(`${field}: ${description}`, Code.InvalidArgument, undefined, [
    {
      desc: BadRequestSchema,
      value: create(BadRequestSchema, { fieldViolations: [create(BadRequest_FieldViolationSchema, { field, description })] }),
    },
  ]);
}

// Messages for failures that happened before any backend answered. A transport error's own
// message names hosts and ports ("connect ECONNREFUSED 10.0.3.7:7001"): keep it in logs, not
// in responses.
const LOCAL_FAILURE: Partial<Record<Code, string>> = {
  [Code.Unavailable]: "upstream unavailable",
  [Code.DeadlineExceeded]: "upstream deadline exceeded",
  [Code.Internal]: "internal error",
  [Code.Unknown]: "internal error",
};

/**
 * Anything thrown while handling a request, as a ConnectError that is safe to show: errors
 * from the backend keep their message and details; transport failures get a generic message;
 * anything else (a bug) is INTERNAL "internal error", never a stack trace.
 */
export function toPublicError(e: unknown): ConnectError {
  if (e instanceof ConnectError) {
    const local = e.cause instanceof Error && !(e.cause instanceof ConnectError) && e.details.length === 0;
    const generic = LOCAL_FAILURE[e.code];
    return local && generic ? new ConnectError(generic, e.code, e.metadata, undefined, e) : e;
  }
  return new ConnectError("internal error", Code.Internal, undefined, undefined, e);
}

/**
 * google.rpc.Status in proto3 JSON, as grpc-gateway writes it: `code` as a number, `message`,
 * and `details` as Any in JSON form (`@type` plus the message's fields). A detail whose type
 * the registry does not know keeps its bytes: `{"@type": ..., "value": <base64>}`, the JSON
 * form of an Any that cannot be expanded.
 */
export function statusJson(err: ConnectError, registry: Registry): JsonObject {
  return {
    code: err.code,
    message: err.rawMessage,
    details: err.details.map((d) => detailJson(d, registry)),
  };
}

type Detail = ConnectError["details"][number];

function detailJson(d: Detail, registry: Registry): JsonValue {
  if ("desc" in d) {
    const json = toJson(d.desc, create(d.desc, d.value), { registry }) as JsonObject;
    return { "@type": `type.googleapis.com/${d.desc.typeName}`, ...json };
  }
  const typeUrl = `type.googleapis.com/${d.type}`;
  const desc = registry.getMessage(d.type);
  if (desc) {
    try {
      const json = toJson(desc, fromBinary(desc, d.value), { registry });
      // Well-known types with a non-object JSON form (e.g. Duration) nest under "value".
      return json !== null && typeof json === "object" && !Array.isArray(json) ? { "@type": typeUrl, ...json } : { "@type": typeUrl, value: json };
    } catch {
      // Fall through: bytes we cannot decode are passed on as they are.
    }
  }
  return { "@type": typeUrl, value: base64Encode(d.value) };
}
