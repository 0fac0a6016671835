import { create, type JsonObject, type JsonValue, type Message, type Registry, toJson } from "@bufbuild/protobuf";
import { DEFAULT_HTTP_BODY_TYPE, readHttpBody } from "./http-body.js";
import type { CompiledRoute } from "./routes.js";

// Proto3 JSON out, as grpc-gateway's default marshaler writes it: lowerCamelCase names, int64
// as strings, enums by name, well-known types in their JSON forms, and unpopulated fields
// emitted with their zero values (grpc-gateway sets protojson's EmitUnpopulated), so a REST
// client sees `"flag": false` rather than a missing key. Unset message fields stay absent
// (protojson would print null for them).
const WRITE = { alwaysEmitImplicit: true } as const;

// The write options of each registry, built once rather than on every response.
const writeOptions = new WeakMap<Registry, typeof WRITE & { registry: Registry }>();
function writeOptionsOf(registry: Registry) {
  let o = writeOptions.get(registry);
  if (!o) {
    o = { ...WRITE, registry };
    writeOptions.set(registry, o);
  }
  return o;
}

/** The JSON of a response message, or of its `response_body` field when the rule names one. */
export function responseJson(route: CompiledRoute, message: Message, registry: Registry): JsonValue {
  const output = route.info.method.output;
  const json = toJson(output, message, writeOptionsOf(registry));
  const field = route.responseField;
  if (!field) return json;
  const value = (json as JsonObject)[field.jsonName];
  if (value !== undefined) return value;
  // An unset message field is sent as that message's zero value, as grpc-gateway marshals the
  // field's (empty) message rather than nothing.
  return field.fieldKind === "message" ? toJson(field.message, create(field.message), writeOptionsOf(registry)) : null;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a JSON value. */
export function encodeJson(value: JsonValue): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** The content type of every JSON body the transcoder writes. */
export const JSON_CONTENT_TYPE = "application/json";
const JSON_HEADERS: [string, string][] = [["content-type", JSON_CONTENT_TYPE]];

// The JSON written for a response message, with the route it was written for (response_body
// differs by route).
const written = new WeakMap<Message, { route: CompiledRoute; response: { headers: [string, string][]; body: Uint8Array } }>();

/**
 * Sent with every HttpBody response: browsers must not second-guess a Content-Type the service
 * chose (e.g. run as HTML the bytes of a user's upload served as application/octet-stream).
 */
export const NOSNIFF: [string, string] = ["x-content-type-options", "nosniff"];

/**
 * The Content-Type and bytes of a unary response: an HttpBody's own (http-body.ts), with
 * `nosniff` because the bytes are whatever the service chose, or else JSON.
 */
export function unaryResponse(route: CompiledRoute, message: Message, registry: Registry): { headers: [string, string][]; body: Uint8Array } {
  const slot = route.responseHttpBody;
  if (!slot) {
    // The same message object again (response-dedupe.ts hands out one per distinct bytes): its
    // JSON is already written. Callers only read what this returns.
    const last = written.get(message);
    if (last?.route === route) return last.response;
    const response = { headers: JSON_HEADERS, body: encodeJson(responseJson(route, message, registry)) };
    written.set(message, { route, response });
    return response;
  }
  const { contentType, data } = readHttpBody(slot, route.info.method.output, message);
  return { headers: [["content-type", contentType || DEFAULT_HTTP_BODY_TYPE], NOSNIFF], body: data };
}
