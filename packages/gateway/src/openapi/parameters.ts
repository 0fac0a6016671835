// Path, query and header parameters of one binding. Every request field the path and body leave
// unbound is a query parameter, as in grpc-gateway and Envoy's transcoder: nested fields by
// dotted name (`near.latitude`), repeated ones by repeating the key (`tag=a&tag=b`).
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { MAX_IDEMPOTENCY_KEY_LENGTH } from "../transcoder/idempotency-key.js";
import type { RouteInfo } from "../transcoder/route-info.js";
import { paragraphs } from "./doc-comments.js";
import type { PathVariable } from "./path-template.js";
import { isScalarLike, isWellKnown, type SchemaBuilder } from "./schemas.js";
import type { ParameterObject, SchemaObject } from "./types.js";
import { validateFacts } from "./validate-rules.js";

/** Resolves a dotted field path (`property.property_id`, proto or JSON names) in a message. */
export function resolveField(message: DescMessage, path: string): DescField | undefined {
  let current: DescMessage | undefined = message;
  let field: DescField | undefined;
  for (const name of path.split(".")) {
    field = current?.fields.find((f) => f.name === name || f.jsonName === name);
    if (!field) return undefined;
    current = field.fieldKind === "message" ? field.message : undefined;
  }
  return field;
}

/** One required parameter per `{...}` of the OpenAPI path, typed from the field it binds. */
export function pathParameters(route: RouteInfo, variables: readonly PathVariable[], b: SchemaBuilder): ParameterObject[] {
  return variables.map((v) => {
    const field = v.field ? resolveField(route.method.input, v.field) : undefined;
    const base: SchemaObject = field ? b.fieldSchema(field, false) : { type: "string" };
    // The template's pattern is what routing matches, so it replaces any from the field.
    const schema = v.pattern ? { ...base, pattern: v.pattern } : base;
    const p: ParameterObject = { name: v.name, in: "path", required: true, schema };
    if (v.segments) p.description = `Matches \`${v.segments}\`; the value may span several path segments.`;
    if (!v.field) p.description = "Any value; not bound to a request field.";
    const description = paragraphs(field && b.comment(field), p.description);
    if (description) p.description = description;
    return p;
  });
}

function collectQuery(
  message: DescMessage,
  prefix: { proto: string; json: string },
  excluded: ReadonlySet<string>,
  ancestors: ReadonlySet<string>,
  b: SchemaBuilder,
  out: ParameterObject[],
): void {
  for (const f of message.fields) {
    const protoPath = prefix.proto + f.name;
    const name = prefix.json + f.jsonName;
    if (excluded.has(protoPath)) continue;
    if (f.fieldKind === "message" && !isScalarLike(f.message)) {
      // A message already on the way down is recursive: its fields are documented once, above.
      // Struct, Any and the like are JSON objects, not fields to flatten, so they have no
      // query form.
      if (ancestors.has(f.message.typeName) || isWellKnown(f.message)) continue;
      const next = { proto: `${protoPath}.`, json: `${name}.` };
      collectQuery(f.message, next, excluded, new Set([...ancestors, f.message.typeName]), b, out);
      continue;
    }
    // Maps and repeated messages have no query-string form in the transcoders we follow.
    if (f.fieldKind === "map") continue;
    if (f.fieldKind === "list" && f.listKind === "message" && !isScalarLike(f.message)) continue;
    const p: ParameterObject = { name, in: "query", schema: b.fieldSchema(f, false) };
    const comment = b.comment(f);
    if (comment) p.description = comment;
    if (f.fieldKind === "list") {
      p.style = "form";
      p.explode = true;
    }
    // A nested field is only required when its parent is present, which a flat parameter
    // list cannot say; only top-level ones are marked.
    if (prefix.proto === "" && validateFacts(f).required) p.required = true;
    if (f.deprecated) p.deprecated = true;
    out.push(p);
  }
}

/** Query parameters for every request field not bound by the path or the body. */
export function queryParameters(route: RouteInfo, b: SchemaBuilder): ParameterObject[] {
  if (route.body === "*") return [];
  const excluded = new Set(route.pathFields);
  if (route.body) excluded.add(route.body);
  const out: ParameterObject[] = [];
  const input = route.method.input;
  collectQuery(input, { proto: "", json: "" }, excluded, new Set([input.typeName]), b, out);
  return out;
}

/**
 * The optional `Idempotency-Key` header of a route whose request field it fills
 * (RouteInfo.idempotencyKeyField), typed as that field plus the header's length limit.
 */
export function headerParameters(route: RouteInfo, b: SchemaBuilder): ParameterObject[] {
  const name = route.idempotencyKeyField;
  const field = name ? resolveField(route.method.input, name) : undefined;
  if (!field) return [];
  const base = b.fieldSchema(field, false);
  delete base.description;
  const max = typeof base.maxLength === "number" ? Math.min(base.maxLength, MAX_IDEMPOTENCY_KEY_LENGTH) : MAX_IDEMPOTENCY_KEY_LENGTH;
  return [
    {
      name: "Idempotency-Key",
      in: "header",
      description:
        `Makes a retried request safe: fills \`${field.jsonName}\` when the request leaves it empty. ` +
        `A request whose \`${field.jsonName}\` is set to a different value is refused (400, INVALID_ARGUMENT), as is a key over ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
      schema: { ...base, maxLength: max },
    },
  ];
}
