import { type DescEnum, type DescField, type DescMessage, fromJson, type JsonValue, type Registry, ScalarType } from "@bufbuild/protobuf";
import { invalidField } from "./errors.js";

// Path variables and query parameters are strings; protobuf-es parses proto3 JSON. This turns
// the strings into the JSON value proto3 JSON expects for the target field, then lets
// protobuf-es check it, so an int64 out of range or an unknown enum name is an
// INVALID_ARGUMENT that names the parameter.

/** The type of one value: a singular field, a list element or a map value. */
type Target = { kind: "scalar"; scalar: ScalarType } | { kind: "enum"; enum: DescEnum } | { kind: "message"; message: DescMessage };

/**
 * The JSON value for a field set from path or query strings. `name` is how the caller spelled
 * the field, for error messages. Repeated fields take every value; singular fields exactly one.
 */
export function jsonFromStrings(field: DescField, values: string[], name: string): JsonValue {
  switch (field.fieldKind) {
    case "list": {
      const target: Target =
        field.listKind === "scalar" ? { kind: "scalar", scalar: field.scalar } : field.listKind === "enum" ? { kind: "enum", enum: field.enum } : { kind: "message", message: field.message };
      return values.map((v) => jsonFromString(target, v, name));
    }
    case "map":
      throw invalidField(name, `a map field is set as ${name}[key]=value`);
    case "scalar":
    case "enum":
    case "message": {
      // grpc-gateway: "too many values" for a singular field given twice.
      if (values.length !== 1) throw invalidField(name, "given more than once for a singular field");
      const target: Target =
        field.fieldKind === "scalar" ? { kind: "scalar", scalar: field.scalar } : field.fieldKind === "enum" ? { kind: "enum", enum: field.enum } : { kind: "message", message: field.message };
      return jsonFromString(target, values[0], name);
    }
    default: {
      const _x: never = field;
      throw new Error(`unknown field kind ${String(_x)}`);
    }
  }
}

/** The JSON value of one map value given as `name[key]=raw`. */
export function jsonMapValue(field: DescField & { fieldKind: "map" }, raw: string, name: string): JsonValue {
  const target: Target =
    field.mapKind === "scalar" ? { kind: "scalar", scalar: field.scalar } : field.mapKind === "enum" ? { kind: "enum", enum: field.enum } : { kind: "message", message: field.message };
  return jsonFromString(target, raw, name);
}

function jsonFromString(t: Target, raw: string, name: string): JsonValue {
  switch (t.kind) {
    case "scalar":
      return scalarJson(t.scalar, raw, name);
    case "enum":
      // Enums by name, or by number (proto3 JSON accepts both).
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case "message":
      return messageJson(t.message, raw, name);
    default: {
      const _x: never = t;
      throw new Error(`unknown target ${String(_x)}`);
    }
  }
}

function scalarJson(scalar: ScalarType, raw: string, name: string): JsonValue {
  if (scalar === ScalarType.BOOL) {
    // Go's strconv.ParseBool, which grpc-gateway uses for bool parameters.
    if (["1", "t", "T", "true", "TRUE", "True"].includes(raw)) return true;
    if (["0", "f", "F", "false", "FALSE", "False"].includes(raw)) return false;
    throw invalidField(name, `invalid bool "${raw}"`);
  }
  // Every other scalar has a string form in proto3 JSON: numbers (including "NaN",
  // "Infinity"), 64-bit integers, strings and base64 bytes. protobuf-es checks them.
  return raw;
}

// google.protobuf wrapper types take the JSON form of the value they wrap.
const WRAPPERS = new Set(["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map((n) => `google.protobuf.${n}Value`));

function messageJson(message: DescMessage, raw: string, name: string): JsonValue {
  if (WRAPPERS.has(message.typeName)) return scalarJson(message.fields[0].scalar ?? ScalarType.STRING, raw, name);
  switch (message.typeName) {
    case "google.protobuf.Timestamp":
    case "google.protobuf.Duration":
      return raw;
    case "google.protobuf.FieldMask":
      // The JSON form wants lowerCamelCase paths; a query string usually carries proto names
      // ("display_name,inner.label"), as grpc-gateway accepts. Accept both.
      return raw
        .split(",")
        .filter((p) => p !== "")
        .map((p) => p.split(".").map(snakeToCamel).join("."))
        .join(",");
    default:
      throw invalidField(name, `${message.typeName} cannot be set from a single value; set its fields (${name}.field=...)`);
  }
}

function snakeToCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Parses `value` as the JSON of `leaf` inside `parent`, to report a bad value against the
 * parameter that carried it rather than against the whole request.
 */
export function checkValue(parent: DescMessage, leaf: DescField, value: JsonValue, name: string, registry: Registry): void {
  try {
    fromJson(parent, { [leaf.jsonName]: value }, { ignoreUnknownFields: false, registry });
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^cannot decode (message|field) [\w.]+ from JSON: /, "") : "invalid value";
    throw invalidField(name, why);
  }
}
