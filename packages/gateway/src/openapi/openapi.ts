// The OpenAPI document of the REST API, derived from the same RouteInfo list the transcoder
// routes with, so docs and behaviour cannot drift.
//
// The descriptors protoc-gen-es embeds carry no proto comments, so they are optional input
// (`comments`, see doc-comments.ts). Without them, summaries are derived from method names and
// descriptions name the RPC; with them, the comments lead and those texts follow.
import type { DescMessage } from "@bufbuild/protobuf";
import { isHttpBody } from "../transcoder/http-body.js";
import type { RouteInfo } from "../transcoder/route-info.js";
import { type DocComments, paragraphs, summaryOf } from "./doc-comments.js";
import { headerParameters, pathParameters, queryParameters, resolveField } from "./parameters.js";
import { toOpenApiPath } from "./path-template.js";
import { createSchemaBuilder, type SchemaBuilder } from "./schemas.js";
import type { HeaderObject, HttpVerb, OpenApiDocument, OperationObject, RequestBodyObject, ResponseObject, SchemaObject } from "./types.js";

/** Options of {@link buildOpenApi}. */
export interface BuildOpenApiOptions {
  /** The REST bindings to document, usually the transcoder's routes. */
  routes: readonly RouteInfo[];
  title: string;
  version: string;
  description?: string;
  servers?: { url: string }[];
  /** True for routes callable without an access token; they get `security: []`. */
  isPublic(route: RouteInfo): boolean;
  /**
   * The proto comments, for summaries and descriptions of operations, tags, schemas, fields and
   * enum values, e.g. from `docCommentsFromDescriptorSet()`. Without them the document says only
   * what the descriptors say.
   */
  comments?: DocComments;
}

/** Name of the shared error schema in `components.schemas`. */
export const STATUS_SCHEMA = "google.rpc.Status";
const statusRef: SchemaObject = { $ref: `#/components/schemas/${STATUS_SCHEMA}` };

// The error body every route can answer with, as grpc-gateway and vanguard write it.
const STATUS: SchemaObject = {
  type: "object",
  description: "An error, as `google.rpc.Status` in JSON.",
  properties: {
    code: { type: "integer", format: "int32", description: "The `google.rpc.Code`, e.g. 3 for INVALID_ARGUMENT." },
    message: { type: "string", description: "A developer-facing message in English." },
    details: {
      type: "array",
      description: "Typed details such as `google.rpc.BadRequest` (field violations) or `google.rpc.ErrorInfo`.",
      items: {
        type: "object",
        properties: { "@type": { type: "string", description: "e.g. `type.googleapis.com/google.rpc.BadRequest`." } },
        required: ["@type"],
        additionalProperties: true,
      },
    },
  },
  required: ["code"],
};

// The standard gRPC code -> HTTP status table the gateway applies.
const ERRORS: Record<string, string> = {
  "400": "INVALID_ARGUMENT (with field violations), FAILED_PRECONDITION or OUT_OF_RANGE; or a body that is not JSON.",
  "401": "UNAUTHENTICATED: no valid access token, or wrong credentials.",
  "403": "PERMISSION_DENIED: the caller may not do this.",
  "404": "NOT_FOUND.",
  "409": "ALREADY_EXISTS or ABORTED (a concurrent change; retry).",
  "429": "RESOURCE_EXHAUSTED: a rate limit is used up; the body's google.rpc.QuotaFailure names the budget (route class and whether per address, user or API key).",
  "500": "INTERNAL, UNKNOWN or DATA_LOSS.",
  "503": "UNAVAILABLE: the service is down or overloaded; retry later.",
  "504": "DEADLINE_EXCEEDED.",
};

// Every answer to a limited request carries the budgets it counted against (the IETF
// RateLimit draft the gateway follows, rate-limit/rate-limit-response.ts); a 429 also says
// when to come back.
const RATE_LIMIT_HEADERS: Record<string, HeaderObject> = {
  RateLimit: {
    description: 'Per budget the request counted against: remaining requests and seconds until whole, e.g. `"search.ip";r=57;t=1`.',
    schema: { type: "string" },
  },
  "RateLimit-Policy": {
    description: 'Each budget\'s quota and window in seconds, e.g. `"search.ip";q=60;w=60`.',
    schema: { type: "string" },
  },
};
const RETRY_AFTER: Record<string, HeaderObject> = {
  "Retry-After": { description: "Whole seconds to wait before retrying (also in the body's google.rpc.RetryInfo).", schema: { type: "integer" } },
};

const errorResponses = (): Record<string, ResponseObject> =>
  Object.fromEntries(
    Object.entries(ERRORS).map(([status, description]) => [
      status,
      {
        description,
        ...(status === "429" ? { headers: { ...RETRY_AFTER, ...RATE_LIMIT_HEADERS } } : {}),
        content: { "application/json": { schema: statusRef } },
      },
    ]),
  );

// A google.api.HttpBody is raw bytes on the wire in any content type, not its JSON form
// (see transcoder/http-body.ts), so that is what the document says for it.
const RAW: SchemaObject = { type: "string", format: "binary" };
const rawContent = (description: string) => ({ "*/*": { schema: { ...RAW, description } } });

/** Whether a rule's `body` or `response_body` (`*` or none: the whole message) is a google.api.HttpBody. */
function isRaw(message: DescMessage, path: string | undefined): boolean {
  if (!path || path === "*") return isHttpBody(message);
  const field = resolveField(message, path);
  return field?.fieldKind === "message" && isHttpBody(field.message);
}

const VERBS = new Set<string>(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const isVerb = (v: string): v is HttpVerb => VERBS.has(v);

/** `StartOAuthLogin` -> `Start OAuth Login`. */
const humanize = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");

// Client and bidi streams read their request messages from the body as it arrives
// (transcoder/request-stream.ts).
const streamsRequest = (route: RouteInfo): boolean => route.method.methodKind === "client_streaming" || route.method.methodKind === "bidi_streaming";
const streamsResponse = (route: RouteInfo): boolean => route.method.methodKind === "server_streaming" || route.method.methodKind === "bidi_streaming";

function requestBody(route: RouteInfo, b: SchemaBuilder): RequestBodyObject | undefined {
  if (!route.body) return undefined;
  const input = route.method.input;
  const stream = streamsRequest(route);
  if (isRaw(input, route.body)) {
    if (!stream) return { required: true, content: rawContent("The raw bytes, passed on as they are with their Content-Type.") };
    return {
      required: false,
      description: "A stream of raw bytes: each chunk is sent on as one message as it arrives, with the request's Content-Type. Path and query parameters apply to every message.",
      content: rawContent("The raw bytes."),
    };
  }
  let schema: SchemaObject;
  if (route.body === "*") {
    // Fields bound by the path are not read from the body, so the body schema leaves them out.
    const bound = new Set(route.pathFields.filter((p) => !p.includes(".")));
    schema = bound.size === 0 ? b.messageRef(input) : b.messageObject(input, bound);
  } else {
    const field = resolveField(input, route.body);
    schema = field ? b.fieldSchema(field) : {};
  }
  if (!stream) return { required: true, content: { "application/json": { schema } } };
  // grpc-gateway's framing of a request stream: JSON values one after another.
  return {
    required: false,
    description:
      "A stream of request messages: JSON values one after another, usually one per line (newline-delimited JSON), each sent on as soon as it is complete. The schema is that of one value. Path and query parameters apply to every message; an empty body sends none. A value that is not valid JSON ends the call with INVALID_ARGUMENT.",
    content: { "application/x-ndjson": { schema } },
  };
}

function successResponse(route: RouteInfo, b: SchemaBuilder): ResponseObject {
  const output = route.method.output;
  const streaming = streamsResponse(route);
  if (isRaw(output, route.responseBody)) {
    const description = streaming
      ? "A stream of raw bytes: each message's data in turn, in the first message's Content-Type. A failure after the first byte aborts the transfer."
      : "OK: the raw bytes, in the Content-Type the service chose.";
    return { description, content: rawContent("The raw bytes.") };
  }
  const field = route.responseBody ? resolveField(output, route.responseBody) : undefined;
  const schema = field ? b.fieldSchema(field) : b.messageRef(output);
  if (!streaming) {
    return { description: "OK", headers: RATE_LIMIT_HEADERS, content: { "application/json": { schema } } };
  }
  // grpc-gateway's streaming shape: one JSON object per line, a final `error` on failure.
  return {
    description: "A stream: one `{\"result\": ...}` per line, and a final `{\"error\": Status}` if the call fails.",
    content: {
      "application/x-ndjson": { schema: { type: "object", properties: { result: schema, error: statusRef } } },
      "text/event-stream": { schema: { type: "string", description: "The same messages as server-sent events." } },
    },
  };
}

function operation(route: RouteInfo, b: SchemaBuilder, isPublic: boolean): { path: string; op: OperationObject } {
  const { service, method } = route;
  const { path, variables } = toOpenApiPath(route.template);
  const parameters = [...pathParameters(route, variables, b), ...queryParameters(route, b), ...headerParameters(route, b)];
  const body = requestBody(route, b);
  const comment = b.comment(method);
  const calls = `Calls the RPC \`${service.typeName}.${method.name}\`.${isPublic ? " No access token needed." : ""}`;
  const op: OperationObject = {
    operationId: `${service.name}_${method.name}${route.bindingIndex > 0 ? `_${route.bindingIndex}` : ""}`,
    tags: [service.name],
    summary: comment ? summaryOf(comment) : humanize(method.name),
    description: paragraphs(comment, calls),
    ...(method.deprecated ? { deprecated: true } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: { "200": successResponse(route, b), ...errorResponses() },
    ...(isPublic ? { security: [] } : {}),
  };
  return { path, op };
}

/**
 * Builds the OpenAPI 3.1 document of the given REST bindings: one operation per binding, with
 * path and query parameters, request and response schemas in the proto3 JSON mapping (named
 * by full proto type name in `components.schemas`), `google.rpc.Status` error responses, and
 * bearer-JWT or API-key security except on public routes, and the RateLimit headers. Serve it at `/openapi.json`.
 */
export function buildOpenApi(opts: BuildOpenApiOptions): OpenApiDocument {
  const schemas: Record<string, SchemaObject> = { [STATUS_SCHEMA]: structuredClone(STATUS) };
  const b = createSchemaBuilder(schemas, opts.comments);
  const doc: OpenApiDocument = {
    openapi: "3.1.0",
    info: { title: opts.title, version: opts.version, ...(opts.description ? { description: opts.description } : {}) },
    ...(opts.servers?.length ? { servers: opts.servers } : {}),
    tags: [],
    paths: {},
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "An access token from login or sign-up; a partner's API key (`thk_live_...`) is also accepted as a bearer value.",
        },
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "X-Api-Key",
          description: "A partner's API key from `POST /api/v1/users/me/apiKeys`. It may call only the RPCs its scopes name.",
        },
      },
    },
    security: [{ bearerAuth: [] }, { apiKey: [] }],
  };
  for (const route of opts.routes) {
    const verb = route.httpMethod.toLowerCase();
    // OpenAPI 3.1 has no slot for other custom verbs; such routes still work, undocumented.
    if (!isVerb(verb)) continue;
    const { path, op } = operation(route, b, opts.isPublic(route));
    const item = doc.paths[path] ?? {};
    doc.paths[path] = item;
    // Two rules on the same method and path would be ambiguous for the router too; the
    // first one (in route order) is the one documented.
    if (item[verb]) continue;
    item[verb] = op;
    if (!doc.tags.some((t) => t.name === route.service.name)) {
      const grpc = `gRPC service \`${route.service.typeName}\`.`;
      doc.tags.push({ name: route.service.name, description: paragraphs(b.comment(route.service), grpc) });
    }
  }
  return doc;
}
