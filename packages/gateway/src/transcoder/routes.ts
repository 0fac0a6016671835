import { type DescField, type DescMethod, type DescService, getOption, hasOption } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { http } from "@triphub/contracts/google/api/annotations_pb";
import type { HttpRule } from "@triphub/contracts/google/api/http_pb";
import { isUpdateMaskTarget } from "./field-mask.js";
import { protoPath, resolveFieldPath } from "./field-path.js";
import { type HttpBodySlot, httpBodySlot } from "./http-body.js";
import { idempotencyKeyField } from "./idempotency-key.js";
import { type PathTemplate, parsePathTemplate, specificity } from "./path-template.js";
import type { RouteInfo } from "./route-info.js";

/** How a route's request and response are carried: one message, or a stream of them. */
export type RouteKind = "unary" | "server-streaming" | "client-streaming" | "bidi-streaming";

/** Whether the request side is a stream of messages read from the body as it arrives. */
export const streamsRequest = (kind: RouteKind): boolean => kind === "client-streaming" || kind === "bidi-streaming";

/** A route with everything the transcoder needs per request worked out once, at start. */
export interface CompiledRoute {
  info: RouteInfo;
  template: PathTemplate;
  specificity: number[];
  /** Path variable field path (as written) -> the fields along it. */
  pathFields: Map<string, DescField[]>;
  bodyField?: DescField;
  responseField?: DescField;
  /** Where the raw request body goes when the rule's body is a google.api.HttpBody (not parsed as JSON). */
  requestHttpBody?: HttpBodySlot;
  /** Where the raw response body comes from when the response (or its response_body) is a google.api.HttpBody. */
  responseHttpBody?: HttpBodySlot;
  /** The method's streaming kind, which decides how the body is read and the answer written. */
  kind: RouteKind;
  /** Safe to retry on UNAVAILABLE: GET, or declared NO_SIDE_EFFECTS / IDEMPOTENT. */
  idempotent: boolean;
  /** The top-level `update_mask` to fill from the body's keys (grpc-gateway's PATCH feature). */
  updateMask?: DescField;
  /** The top-level string field filled from the Idempotency-Key header (see idempotency-key.ts). */
  idempotencyKey?: DescField;
}

/** Names a route's request field for the Idempotency-Key header, or none (`TranscoderOptions.idempotencyKeyField`). */
export type IdempotencyKeyFieldOf = (route: RouteInfo) => string | undefined;

/**
 * Reads the google.api.http rules (and their additional_bindings) of every method of the given
 * services. Throws at start on a rule that cannot work (bad template, unknown field, duplicate
 * route, an idempotency key field that is not a top-level string), so a broken annotation never
 * becomes a surprise 500 at request time.
 */
export function compileRoutes(services: readonly DescService[], keyFieldOf?: IdempotencyKeyFieldOf): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  const seen = new Map<string, string>();
  for (const service of services) {
    for (const method of service.methods) {
      if (!hasOption(method, http)) continue;
      const rule = getOption(method, http);
      // additional_bindings nest only one level deep (http.proto: "must not contain an
      // additional_bindings field themselves").
      const bindings = [rule, ...rule.additionalBindings];
      bindings.forEach((binding, bindingIndex) => {
        const route = compileBinding(service, method, binding, bindingIndex, keyFieldOf);
        const key = `${route.info.httpMethod} ${route.template.segments.map((s) => (s.kind === "literal" ? s.value : s.kind)).join("/")}:${route.template.verb ?? ""}`;
        const other = seen.get(key);
        if (other) throw new Error(`${method.parent.typeName}.${method.name}: ${route.info.httpMethod} ${route.info.template} is already bound by ${other}`);
        seen.set(key, `${method.parent.typeName}.${method.name}`);
        routes.push(route);
      });
    }
  }
  return routes;
}

function compileBinding(service: DescService, method: DescMethod, rule: HttpRule, bindingIndex: number, keyFieldOf?: IdempotencyKeyFieldOf): CompiledRoute {
  const where = `${service.typeName}.${method.name}`;
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  const { httpMethod, path } = patternOf(rule) ?? fail("http rule without a pattern");
  let template: PathTemplate;
  try {
    template = parsePathTemplate(path);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  const pathFields = new Map<string, DescField[]>();
  for (const v of template.variables) {
    const fields = resolveFieldPath(method.input, v.fieldPath);
    if (typeof fields === "string") return fail(`path variable ${fields}`);
    const leaf = fields[fields.length - 1];
    // http.proto: path variables must not refer to repeated or map fields; a message leaf
    // (other than wrappers, which Envoy allows) cannot be spelled in one path segment.
    if (leaf.fieldKind !== "scalar" && leaf.fieldKind !== "enum" && !isWrapper(leaf)) {
      return fail(`path variable ${v.fieldPath} must be a singular scalar or enum field`);
    }
    pathFields.set(v.fieldPath, fields);
  }
  let bodyField: DescField | undefined;
  if (rule.body && rule.body !== "*") {
    bodyField = method.input.fields.find((f) => f.name === rule.body) ?? fail(`body field ${rule.body} not found in ${method.input.typeName}`);
  }
  let responseField: DescField | undefined;
  if (rule.responseBody) {
    responseField =
      method.output.fields.find((f) => f.name === rule.responseBody) ?? fail(`response_body field ${rule.responseBody} not found in ${method.output.typeName}`);
  }
  const info: RouteInfo = {
    service,
    method,
    httpMethod,
    template: path,
    pathFields: template.variables.map((v) => protoPath(pathFields.get(v.fieldPath) ?? [])),
    verb: template.verb,
    body: rule.body || undefined,
    responseBody: rule.responseBody || undefined,
    bindingIndex,
  };
  // Envoy's transcoder treats the body as HttpBody when `body: "*"` and the request is one, or
  // when `body` names a field of that type; response_body likewise (json_transcoder_filter.cc).
  const requestHttpBody = rule.body ? httpBodySlot(method.input, bodyField) : undefined;
  const responseHttpBody = httpBodySlot(method.output, responseField);
  const kind = kindOf(method);
  // A client stream's messages come from the body, one JSON value each (request-stream.ts), so
  // a rule without one, or on GET (and so HEAD), could only ever send none.
  if (streamsRequest(kind) && (!rule.body || httpMethod === "GET" || httpMethod === "HEAD")) {
    return fail(`${kind} needs a rule with a body, on a method other than GET`);
  }
  const idempotent =
    httpMethod === "GET" ||
    method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS ||
    method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT;
  // grpc-gateway's patch feature applies to PATCH with `body: "field"` only; with `body: "*"`
  // the mask is an ordinary body field
  // (https://grpc-ecosystem.github.io/grpc-gateway/docs/mapping/patch_feature).
  // A raw body has no keys to list, so HttpBody bodies get no mask.
  const updateMask = httpMethod === "PATCH" && bodyField && !requestHttpBody ? isUpdateMaskTarget(method.input) : undefined;
  const keyName = keyFieldOf?.(info);
  let idempotencyKey: DescField | undefined;
  if (keyName) {
    const found = idempotencyKeyField(method.input, keyName);
    idempotencyKey = typeof found === "string" ? fail(found) : found;
    info.idempotencyKeyField = idempotencyKey.name;
  }
  return { info, template, specificity: specificity(template), pathFields, bodyField, responseField, requestHttpBody, responseHttpBody, kind, idempotent, updateMask, idempotencyKey };
}

function kindOf(method: DescMethod): RouteKind {
  const k = method.methodKind;
  switch (k) {
    case "unary":
      return "unary";
    case "server_streaming":
      return "server-streaming";
    case "client_streaming":
      return "client-streaming";
    case "bidi_streaming":
      return "bidi-streaming";
    default: {
      const _x: never = k;
      throw new Error(`unknown method kind ${String(_x)}`);
    }
  }
}

function patternOf(rule: HttpRule): { httpMethod: string; path: string } | undefined {
  const p = rule.pattern;
  switch (p.case) {
    case "get":
    case "put":
    case "post":
    case "delete":
    case "patch":
      return { httpMethod: p.case.toUpperCase(), path: p.value };
    case "custom":
      return p.value.kind && p.value.path ? { httpMethod: p.value.kind.toUpperCase(), path: p.value.path } : undefined;
    case undefined:
      return undefined;
    default: {
      const _x: never = p;
      throw new Error(`unknown http rule pattern ${String(_x)}`);
    }
  }
}

function isWrapper(field: DescField): boolean {
  return field.fieldKind === "message" && field.message.typeName.startsWith("google.protobuf.") && field.message.typeName.endsWith("Value") && field.message.typeName !== "google.protobuf.Value";
}
