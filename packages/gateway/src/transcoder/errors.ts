import { create, fromBinary, type JsonObject, type JsonValue, type Registry, toJson } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequest_FieldViolationSchema, BadRequestSchema, RetryInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";

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

/**
 * What a client is told of a server fault. The text of such an error describes the server,
 * not the request: a transport failure names hosts, ports and HTTP/2 codes
 * ("connect ECONNREFUSED 10.0.3.7:7001", "http/2 stream closed with error code 0x6"), whether
 * it happened here or in a backend that passed its own upstream's failure on. The client can
 * only retry or give up, so it gets a message that says which, and the original stays in logs
 * (as `cause`). Details and metadata (ErrorInfo, RetryInfo, Retry-After) are kept.
 */
function serverFaultMessage(code: Code, service: string | undefined): string | undefined {
  const who = service ? `the ${service} service` : "the service";
  switch (code) {
    case Code.Unavailable:
      return `${who} is unavailable; retry shortly`;
    case Code.DeadlineExceeded:
      return `${who} did not answer in time`;
    case Code.Internal:
    case Code.Unknown:
    case Code.DataLoss:
      return "internal error";
    default:
      return undefined;
  }
}

/**
 * A service's name for client messages: its proto name without the `Service` suffix, in words
 * (`AccommodationService` -> "accommodation", `ConfigServerService` -> "config server").
 */
export function serviceLabel(serviceName: string): string {
  return serviceName
    .replace(/Service$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

// The text of Node's and connect-node's transport failures, whatever code they came with: a
// backend that relays such an error from its own upstream passes this text on as its message.
const TRANSPORT_TEXT = /http\/2 |\bE(CONN[A-Z]+|PIPE|TIMEDOUT|NOTFOUND|AI_AGAIN|HOSTUNREACH|NETUNREACH)\b|\bERR_[A-Z0-9_]+\b|protocol error|socket hang up/;

/**
 * Anything thrown while handling a request, as a ConnectError that is safe to show: client
 * errors from the backend keep their message and details; server faults (UNAVAILABLE,
 * DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, DATA_LOSS), from the backend or from the transport, get
 * a generic message naming `service` when given, as does any other error that carries the text
 * of a transport failure (raised here, or passed on by a backend); anything else (a bug) is INTERNAL
 * "internal error", never a stack trace.
 */
export function toPublicError(e: unknown, service?: string): ConnectError {
  if (!(e instanceof ConnectError)) return new ConnectError("internal error", Code.Internal, undefined, undefined, e);
  const generic = serverFaultMessage(e.code, service) ?? (TRANSPORT_TEXT.test(e.rawMessage) ? transportFailureMessage(e.code) : undefined);
  if (generic === undefined || generic === e.rawMessage) return e;
  const err = new ConnectError(generic, e.code, e.metadata, undefined, e);
  err.details.push(...e.details);
  return err;
}

function transportFailureMessage(code: Code): string {
  switch (code) {
    case Code.Canceled:
      return "the call was cancelled";
    case Code.ResourceExhausted:
      return "the service is overloaded; retry later";
    default:
      return "the call failed";
  }
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

/**
 * The HTTP `Retry-After` (whole seconds) of an error carrying a google.rpc.RetryInfo detail, as
 * Google's APIs pair the two; undefined without one.
 */
export function retryAfterOf(err: ConnectError): string | undefined {
  const delay = err.findDetails(RetryInfoSchema)[0]?.retryDelay;
  if (!delay) return undefined;
  return String(Math.max(0, Math.ceil(Number(delay.seconds) + delay.nanos / 1e9)));
}
