import { create, type DescField, fromJson, type JsonObject, type JsonValue, type Message, type Registry } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { fieldMaskFromJson } from "./field-mask.js";
import { type RawBody, writeHttpBody } from "./http-body.js";
import { applyIdempotencyKey, idempotencyKeyOf } from "./idempotency-key.js";
import { isObject, parentOf, setIn } from "./json-tree.js";
import { bindQuery, type IgnoredQueryParameter } from "./query-params.js";
import type { CompiledRoute } from "./routes.js";
import { checkValue, jsonFromStrings } from "./string-values.js";

// Builds the request message of an RPC from the three parts of an HTTP request, per the
// "Rules for HTTP mapping" of google/api/http.proto: fields bound by the path template come
// from the path, the `body` field (or every other field, for `*`) from the JSON body, and all
// remaining fields from the query string. Everything is assembled as one proto3 JSON object
// and parsed once with protobuf-es, so the JSON mapping (names, int64 as strings, enums,
// well-known types) is protobuf-es's own, and an unknown field is an error, not ignored. A body
// bound to a google.api.HttpBody is the exception: it is never parsed, its bytes and
// Content-Type are put into the message as they came (see http-body.ts).

/** The parts of an HTTP request that carry request fields. */
export interface HttpParts {
  pathValues: Map<string, string>;
  /** The raw query string, without `?`. */
  query: string;
  body: Uint8Array | undefined;
  /** The request's Content-Type, for a body bound to a google.api.HttpBody. */
  contentType?: string | null;
  /** The Idempotency-Key header, for a route with an idempotency key field. */
  idempotencyKey?: string | null;
}

/**
 * Builds one request message from a body: its parsed JSON (undefined when there is none), or
 * the raw bytes for a body bound to a google.api.HttpBody. Throws INVALID_ARGUMENT.
 */
export type MessageBinder = (body: JsonValue | undefined, raw?: RawBody) => Message;

/**
 * Checks the path values and the query string of a request once, and returns the binder that
 * builds its request messages: one for a unary call, one per JSON value of the body for a
 * client stream, each with the same path and query fields. Throws INVALID_ARGUMENT (with a
 * BadRequest detail naming the parameter) for a bad path value or query parameter, or an
 * Idempotency-Key header that is too long; a message whose key field disagrees with the header
 * is INVALID_ARGUMENT when it is built.
 */
export function requestBinder(
  route: CompiledRoute,
  parts: Pick<HttpParts, "pathValues" | "query" | "idempotencyKey">,
  registry: Registry,
  ignored: IgnoredQueryParameter,
): MessageBinder {
  const input = route.info.method.input;
  const path: [DescField[], JsonValue][] = [];
  for (const [variable, raw] of parts.pathValues) {
    const fields = route.pathFields.get(variable);
    if (!fields) continue;
    const value = jsonFromStrings(fields[fields.length - 1], [raw], variable);
    checkValue(parentOf(input, fields), fields[fields.length - 1], value, variable, registry);
    path.push([fields, value]);
  }
  const query = bindQuery(route, parts.query, registry, ignored);
  const keyField = route.idempotencyKey;
  const key = keyField ? idempotencyKeyOf(parts.idempotencyKey ?? null, keyField) : undefined;

  return (bodyJson, raw) => {
    let tree: JsonObject = {};
    if (route.info.body === "*") {
      if (bodyJson !== undefined) {
        if (!isObject(bodyJson)) throw new ConnectError("request body must be a JSON object", Code.InvalidArgument);
        tree = { ...bodyJson };
      }
    } else if (route.bodyField && bodyJson !== undefined) {
      tree[route.bodyField.jsonName] = bodyJson;
    }
    // The PATCH mask lists what the client sent, so it is taken before path values are merged in.
    const bodyMask = route.updateMask && route.bodyField?.fieldKind === "message" && bodyJson !== undefined ? fieldMaskFromJson(route.bodyField.message, bodyJson) : undefined;
    // Path values override whatever the body said about the same field, as in grpc-gateway,
    // where the generated handler populates path parameters after decoding the body.
    for (const [fields, value] of path) setIn(tree, fields, value);
    query.apply(tree);

    let message: Message;
    try {
      message = fromJson(input, tree, { ignoreUnknownFields: false, registry });
    } catch (e) {
      throw new ConnectError(e instanceof Error ? e.message : "invalid request", Code.InvalidArgument);
    }
    // Set last, so the raw body wins over a path variable inside it, which Envoy drops as well.
    if (raw && route.requestHttpBody) writeHttpBody(route.requestHttpBody, input, message, raw);
    if (route.updateMask && bodyMask && !query.maskSet) {
      reflect(input, message).set(route.updateMask, reflect(FieldMaskSchema, create(FieldMaskSchema, { paths: bodyMask })));
    }
    if (keyField && key !== undefined) applyIdempotencyKey(input, message, keyField, key);
    return message;
  };
}

/** Builds the request message of a unary or server-streaming call; throws INVALID_ARGUMENT. */
export function bindRequest(route: CompiledRoute, parts: HttpParts, registry: Registry, ignored: IgnoredQueryParameter): Message {
  if (route.requestHttpBody) {
    return requestBinder(route, parts, registry, ignored)(undefined, { contentType: parts.contentType ?? "", data: parts.body ?? new Uint8Array(0) });
  }
  // The body first, so a request with a bad body and a bad parameter is told about the body.
  const json = route.info.body ? parseBody(parts.body) : undefined;
  return requestBinder(route, parts, registry, ignored)(json);
}

function parseBody(body: Uint8Array | undefined): JsonValue | undefined {
  // An empty body is an empty message, as in grpc-gateway (it treats io.EOF as "no fields").
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as JsonValue;
  } catch {
    throw new ConnectError("request body is not valid JSON", Code.InvalidArgument);
  }
}
