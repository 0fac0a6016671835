// Proto messages -> JSON Schemas following the proto3 JSON mapping
// (https://protobuf.dev/programming-guides/json/), which is what the transcoder reads and writes.
import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { type DocComments, type Documented, docOf, paragraphs } from "./doc-comments.js";
import type { SchemaObject } from "./types.js";
import { validateFacts } from "./validate-rules.js";

const INT64_PATTERN = "^-?[0-9]+$";

function scalarSchema(t: ScalarType): SchemaObject {
  switch (t) {
    case ScalarType.DOUBLE:
      return { type: "number", format: "double" };
    case ScalarType.FLOAT:
      return { type: "number", format: "float" };
    // 64-bit integers are JSON strings so that JavaScript clients keep every digit.
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { type: "string", format: "int64", pattern: INT64_PATTERN };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { type: "string", format: "uint64", pattern: "^[0-9]+$" };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: "integer", format: "int32" };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: "integer", minimum: 0, maximum: 4294967295 };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BYTES:
      return { type: "string", format: "byte", description: "Base64-encoded bytes." };
    default: {
      const _x: never = t;
      throw new Error(`unknown scalar type ${String(_x)}`);
    }
  }
}

const nullable = (s: SchemaObject): SchemaObject => ({ ...s, type: [s.type as string, "null"] });

// Well-known types have their own JSON forms, so they are inlined instead of referenced.
const WELL_KNOWN: Record<string, () => SchemaObject> = {
  "google.protobuf.Timestamp": () => ({ type: "string", format: "date-time", description: "RFC 3339, e.g. `2025-01-31T09:30:00Z`." }),
  "google.protobuf.Duration": () => ({
    type: "string",
    pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$",
    description: "Seconds with the suffix `s`, e.g. `90s` or `1.5s`.",
  }),
  "google.protobuf.FieldMask": () => ({
    type: "string",
    description: "Comma-separated field paths in lowerCamelCase, e.g. `displayName,phone`.",
  }),
  "google.protobuf.Struct": () => ({ type: "object", additionalProperties: true }),
  "google.protobuf.Value": () => ({ description: "Any JSON value." }),
  "google.protobuf.ListValue": () => ({ type: "array", items: {} }),
  "google.protobuf.Empty": () => ({ type: "object" }),
  "google.protobuf.Any": () => ({
    type: "object",
    properties: { "@type": { type: "string", description: "Type URL, e.g. `type.googleapis.com/google.rpc.ErrorInfo`." } },
    required: ["@type"],
    additionalProperties: true,
  }),
  // Wrappers are their scalar in JSON, and null (or absent) when unset.
  "google.protobuf.DoubleValue": () => nullable(scalarSchema(ScalarType.DOUBLE)),
  "google.protobuf.FloatValue": () => nullable(scalarSchema(ScalarType.FLOAT)),
  "google.protobuf.Int64Value": () => nullable(scalarSchema(ScalarType.INT64)),
  "google.protobuf.UInt64Value": () => nullable(scalarSchema(ScalarType.UINT64)),
  "google.protobuf.Int32Value": () => nullable(scalarSchema(ScalarType.INT32)),
  "google.protobuf.UInt32Value": () => nullable(scalarSchema(ScalarType.UINT32)),
  "google.protobuf.BoolValue": () => nullable(scalarSchema(ScalarType.BOOL)),
  "google.protobuf.StringValue": () => nullable(scalarSchema(ScalarType.STRING)),
  "google.protobuf.BytesValue": () => nullable(scalarSchema(ScalarType.BYTES)),
};

/** Messages with a JSON form of their own (Timestamp, Struct, wrappers, ...). */
export const isWellKnown = (message: DescMessage): boolean => message.typeName in WELL_KNOWN;

/** Well-known types whose JSON form is a single string, number or boolean (usable in a query). */
export function isScalarLike(message: DescMessage): boolean {
  const type = WELL_KNOWN[message.typeName]?.().type;
  return type !== undefined && type !== "object" && type !== "array";
}

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });

// An enum's documented values, as a list under its description and as `x-enum-descriptions`
// (read by openapi-generator and others), which lines up with `enum`.
function describeEnum(e: DescEnum, s: SchemaObject, comments: DocComments | undefined): void {
  const comment = docOf(comments, e);
  if (comment) s.description = comment;
  const values = e.values.map((v) => docOf(comments, v));
  if (!values.some(Boolean)) return;
  const list = e.values.flatMap((v, i) => (values[i] ? [`- \`${v.name}\`: ${values[i].replace(/\s*\n\s*/g, " ")}`] : []));
  s.description = paragraphs(s.description, list.join("\n"));
  s["x-enum-descriptions"] = values.map((d) => d ?? "");
}

/**
 * Builds schemas on demand and collects the named ones (messages and enums, by full proto
 * name) for `components.schemas`. With `comments`, the proto comments become descriptions.
 */
export function createSchemaBuilder(schemas: Record<string, SchemaObject>, comments?: DocComments) {
  function enumRef(e: DescEnum): SchemaObject {
    if (e.typeName === "google.protobuf.NullValue") return { type: "null" };
    if (!schemas[e.typeName]) {
      const s: SchemaObject = { type: "string", enum: e.values.map((v) => v.name), description: `Enum \`${e.typeName}\`.` };
      describeEnum(e, s, comments);
      schemas[e.typeName] = s;
    }
    return ref(e.typeName);
  }

  function messageRef(m: DescMessage): SchemaObject {
    const wkt = WELL_KNOWN[m.typeName];
    if (wkt) return wkt();
    // Registered before its fields are visited, so a recursive message meets its own $ref
    // instead of looping.
    if (!schemas[m.typeName]) {
      schemas[m.typeName] = { type: "object" };
      schemas[m.typeName] = messageObject(m);
    }
    return ref(m.typeName);
  }

  /** The schema of one field's value (without its validation facts). */
  function valueSchema(f: DescField): SchemaObject {
    switch (f.fieldKind) {
      case "scalar":
        return scalarSchema(f.scalar);
      case "enum":
        return enumRef(f.enum);
      case "message":
        return messageRef(f.message);
      case "list": {
        const items =
          f.listKind === "scalar" ? scalarSchema(f.scalar) : f.listKind === "enum" ? enumRef(f.enum) : messageRef(f.message);
        return { type: "array", items };
      }
      case "map": {
        // JSON object keys are always strings, whatever the proto key type.
        const values = f.mapKind === "scalar" ? scalarSchema(f.scalar) : f.mapKind === "enum" ? enumRef(f.enum) : messageRef(f.message);
        return { type: "object", additionalProperties: values };
      }
      default: {
        const _x: never = f;
        throw new Error(`unknown field kind ${String(_x)}`);
      }
    }
  }

  /**
   * A field's full schema: its value plus buf.validate facts and deprecation, and its comment
   * first in the description unless `withComment` is false (parameters carry it themselves).
   */
  function fieldSchema(f: DescField, withComment = true): SchemaObject {
    const s: SchemaObject = { ...valueSchema(f), ...validateFacts(f).facts };
    if (f.deprecated) s.deprecated = true;
    if (f.oneof) s.description = [s.description, `Member of oneof \`${f.oneof.name}\`.`].filter(Boolean).join(" ");
    const description = withComment ? paragraphs(docOf(comments, f), s.description) : s.description;
    if (description) s.description = description;
    return s;
  }

  /**
   * The object schema of a message, optionally without some top-level fields (those bound by
   * the path when `body: "*"`).
   */
  function messageObject(m: DescMessage, omit: ReadonlySet<string> = new Set()): SchemaObject {
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    for (const f of m.fields) {
      if (omit.has(f.name)) continue;
      properties[f.jsonName] = fieldSchema(f);
      if (validateFacts(f).required) required.push(f.jsonName);
    }
    const s: SchemaObject = { type: "object", properties };
    if (required.length > 0) s.required = required;
    // Oneof members are ordinary JSON properties; only the "at most one" rule needs saying.
    const oneofs = m.oneofs.map((o) => `at most one of ${o.fields.map((f) => `\`${f.jsonName}\``).join(", ")} (oneof \`${o.name}\`)`);
    const oneofNote = oneofs.length ? `Set ${oneofs.join("; ")}.` : "";
    const comment = docOf(comments, m);
    s.description = comment ? paragraphs(comment, oneofNote) : [`Message \`${m.typeName}\`.`, oneofNote].filter(Boolean).join(" ");
    if (m.deprecated) s.deprecated = true;
    return s;
  }

  /** The comment of an element, when comments were given. */
  const comment = (d: Documented): string | undefined => docOf(comments, d);

  return { messageRef, fieldSchema, messageObject, comment };
}

export type SchemaBuilder = ReturnType<typeof createSchemaBuilder>;
