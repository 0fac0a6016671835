import { create, type DescField, type DescMessage, fromJson, type JsonObject, type JsonValue, type Message, type Registry } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { invalidField } from "./errors.js";
import { fieldMaskFromJson } from "./field-mask.js";
import { protoPath, resolveFieldPath } from "./field-path.js";
import { writeHttpBody } from "./http-body.js";
import type { CompiledRoute } from "./routes.js";
import { checkValue, jsonFromStrings, jsonMapValue } from "./string-values.js";

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
}

/** Builds the request message; throws INVALID_ARGUMENT (with a BadRequest detail where a field is known). */
export function bindRequest(route: CompiledRoute, parts: HttpParts, registry: Registry): Message {
  const input = route.info.method.input;
  const rawBody = route.requestHttpBody;
  const bodyJson = route.info.body && !rawBody ? parseBody(parts.body) : undefined;
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
  for (const [variable, raw] of parts.pathValues) {
    const fields = route.pathFields.get(variable);
    if (!fields) continue;
    const value = jsonFromStrings(fields[fields.length - 1], [raw], variable);
    checkValue(parentOf(input, fields), fields[fields.length - 1], value, variable, registry);
    setIn(tree, fields, value);
  }

  const queryMaskSet = bindQuery(route, parts.query, tree, registry);

  let message: Message;
  try {
    message = fromJson(input, tree, { ignoreUnknownFields: false, registry });
  } catch (e) {
    throw new ConnectError(e instanceof Error ? e.message : "invalid request", Code.InvalidArgument);
  }
  // Set last, so the raw body wins over a path variable inside it, which Envoy drops as well.
  if (rawBody) writeHttpBody(rawBody, input, message, { contentType: parts.contentType ?? "", data: parts.body ?? new Uint8Array(0) });

  if (route.updateMask && bodyMask && !queryMaskSet) {
    reflect(input, message).set(route.updateMask, reflect(FieldMaskSchema, create(FieldMaskSchema, { paths: bodyMask })));
  }
  return message;
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

/**
 * Puts query parameters into the tree. Returns whether `update_mask` was given explicitly.
 * A key is a dotted field path in proto or JSON names (`inner.deep.value`, `displayName`),
 * optionally `map_field[key]` (grpc-gateway's map syntax). Unknown keys, keys bound by the path
 * or the body, and several values for a singular field are INVALID_ARGUMENT: Envoy's transcoder
 * rejects unknown parameters by default (`ignore_unknown_query_parameters: false`), and
 * grpc-gateway rejects "too many values" for singular fields.
 */
function bindQuery(route: CompiledRoute, query: string, tree: JsonObject, registry: Registry): boolean {
  const grouped = new Map<string, string[]>();
  // URLSearchParams decodes "+" as a space, as Go's url.ParseQuery does for grpc-gateway.
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === "") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  let maskSet = false;
  for (const [key, values] of grouped) {
    const mapKey = /^(.+)\[(.*)\]$/.exec(key);
    const path = mapKey ? mapKey[1] : key;
    if (route.info.body === "*") {
      // http.proto, rule 2: with `body: "*"` there are no query parameters.
      throw invalidField(key, `unknown query parameter: ${route.info.httpMethod} ${route.info.template} takes its fields from the body`);
    }
    const fields = resolveFieldPath(route.info.method.input, path);
    if (typeof fields === "string") throw invalidField(key, "unknown query parameter");
    const canonical = protoPath(fields);
    if (route.bodyField && fields[0] === route.bodyField) throw invalidField(key, "bound by the request body, not the query");
    for (const bound of route.pathFields.values()) {
      if (protoPath(bound) === canonical) throw invalidField(key, "bound by the path, not the query");
    }
    const leaf = fields[fields.length - 1];
    const parent = parentOf(route.info.method.input, fields);
    if (mapKey) {
      if (leaf.fieldKind !== "map") throw invalidField(key, "not a map field");
      if (values.length > 1) throw invalidField(key, "given more than once");
      const value = jsonMapValue(leaf, values[0], key);
      checkValue(parent, leaf, { [mapKey[2]]: value }, key, registry);
      setMapEntry(tree, fields, mapKey[2], value);
      continue;
    }
    const value = jsonFromStrings(leaf, values, key);
    checkValue(parent, leaf, value, key, registry);
    setIn(tree, fields, value);
    if (route.updateMask && fields.length === 1 && leaf === route.updateMask) maskSet = true;
  }
  return maskSet;
}

function setMapEntry(tree: JsonObject, fields: DescField[], key: string, value: JsonValue): void {
  const leaf = fields[fields.length - 1];
  const parent = parentObject(tree, fields);
  const existing = parent[leaf.jsonName] ?? parent[leaf.name];
  delete parent[leaf.name];
  parent[leaf.jsonName] = { ...(isObject(existing) ? existing : {}), [key]: value };
}

/** The message that declares the last field of a path. */
function parentOf(root: DescMessage, fields: DescField[]): DescMessage {
  const owner = fields.length > 1 ? fields[fields.length - 2] : undefined;
  return owner?.fieldKind === "message" ? owner.message : root;
}

/** Sets the JSON value at a field path, creating objects on the way and replacing either spelling of a key. */
function setIn(tree: JsonObject, fields: DescField[], value: JsonValue): void {
  const leaf = fields[fields.length - 1];
  const parent = parentObject(tree, fields);
  delete parent[leaf.name];
  parent[leaf.jsonName] = value;
}

function parentObject(tree: JsonObject, fields: DescField[]): JsonObject {
  let obj = tree;
  for (const f of fields.slice(0, -1)) {
    const existing = obj[f.jsonName] ?? obj[f.name];
    delete obj[f.name];
    const next: JsonObject = isObject(existing) ? existing : {};
    obj[f.jsonName] = next;
    obj = next;
  }
  return obj;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

