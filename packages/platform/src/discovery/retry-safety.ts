import { type DescField, type DescMethod, getOption, hasOption, ScalarType } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { edge, http } from "@triphub/contracts";

/** How a method may be retried on another instance. */
export interface RetryClass {
  /** Runs twice without harm whatever the request: a read (NO_SIDE_EFFECTS, IDEMPOTENT, or an HTTP GET). */
  readonly safe: boolean;
  /** The request field that makes a write idempotent when set (AIP-155), if the method has one. */
  readonly keyField?: DescField;
}

const classes = new WeakMap<DescMethod, RetryClass>();

/**
 * Which calls of `method` may run again elsewhere. Reads are what the contract says is a read:
 * `idempotency_level` NO_SIDE_EFFECTS or IDEMPOTENT, or a `google.api.http` GET rule (HTTP's
 * safe method, the same rule the gateway retries by). A write is retried only when its request
 * carries a key the service deduplicates on: the field the edge policy names
 * (`idempotency_key_field`), else a top-level string `idempotency_key`, else `request_id`.
 */
export function retryClassOf(method: DescMethod): RetryClass {
  let c = classes.get(method);
  if (c === undefined) {
    const level = method.idempotency;
    const get = hasOption(method, http) && getOption(method, http).pattern.case === "get";
    const safe = level === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS || level === MethodOptions_IdempotencyLevel.IDEMPOTENT || get;
    c = { safe, keyField: safe ? undefined : keyFieldOf(method) };
    classes.set(method, c);
  }
  return c;
}

function keyFieldOf(method: DescMethod): DescField | undefined {
  const named = hasOption(method, edge) ? getOption(method, edge).idempotencyKeyField : "";
  for (const name of [named, "idempotency_key", "request_id"]) {
    const f = name ? method.input.fields.find((x) => x.name === name) : undefined;
    if (f?.fieldKind === "scalar" && f.scalar === ScalarType.STRING && !f.oneof) return f;
  }
  return undefined;
}

/** Whether this request of a unary method may be sent again after its instance failed it. */
export function mayRepeat(method: DescMethod, input: unknown): boolean {
  const c = retryClassOf(method);
  if (c.safe) return true;
  if (c.keyField === undefined || typeof input !== "object" || input === null) return false;
  // A message and its init shape both keep the field under its local (camelCase) name.
  const key = (input as Record<string, unknown>)[c.keyField.localName];
  return typeof key === "string" && key !== "";
}

// Node errors of a connection that failed or died under a call.
const CONNECTION_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_INVALID_SESSION",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_ERROR",
]);
// Of those, the ones that mean nothing was sent: the connection never opened.
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

function nodeCodesOf(e: unknown): string[] {
  const codes: string[] = [];
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    if ("code" in c && typeof c.code === "string") codes.push(c.code);
  }
  return codes;
}

/**
 * How a failed attempt failed, from the caller's side:
 * - `unreached`: the connection never opened, so the instance saw nothing (any call may go elsewhere);
 * - `instance`: the instance or its connection failed the call (UNAVAILABLE, a reset or a stream
 *   cancelled under it): it may or may not have run, so only a repeatable call goes elsewhere;
 * - `answer`: the instance answered (NOT_FOUND, ABORTED, a deadline...): never retried, and no
 *   mark against the instance.
 */
export type FailureKind = "unreached" | "instance" | "answer";

/** Sorts a failed attempt; `callerGaveUp` when the caller's own signal or deadline ended it. */
export function failureKind(e: unknown, callerGaveUp: boolean): FailureKind {
  if (callerGaveUp) return "answer";
  const codes = nodeCodesOf(e);
  if (codes.some((c) => NEVER_CONNECTED.has(c))) return "unreached";
  if (codes.some((c) => CONNECTION_ERRORS.has(c))) return "instance";
  const err = ConnectError.from(e);
  // connect-node reports an HTTP/2 stream the server reset (CANCEL) as CANCELED; the caller did
  // not cancel (checked above), so the instance dropped it.
  if (err.code === Code.Unavailable || err.code === Code.Canceled) return "instance";
  return "answer";
}
