import { type DescEnum, type DescField, type DescMessage, fromJson, type JsonObject, type JsonValue, type Message, ScalarType } from "@bufbuild/protobuf";
import type { Path } from "@bufbuild/protobuf/reflect";
import { createValidator } from "@bufbuild/protovalidate";
import type { FieldViolation } from "../domain-error.js";

/** Config values parsed into a service's settings message, or why they cannot be. */
export type SettingsResult = { ok: true; settings: Message } | { ok: false; violations: FieldViolation[] };

// A key whose segment says it holds a credential. Config values are readable by every service
// and kept in the history for ever, so such a key is refused unless the schema declares it.
const SECRET_LIKE = /pass(word|wd|phrase)?|secret|token|credential|private|api_?key|(^|_)keys?($|_)/;

const validator = createValidator();

/** The field path of a config key in a violation (`values[rate_limits.search.ip.limit]`). */
export const valueField = (key: string) => `values[${key}]`;

/**
 * Parses config values (key = path to a field, see settings.proto) into `schema`: each value
 * to its field's type, then the message's buf.validate rules. Every bad key is reported, each
 * once: unknown keys, keys that look like secrets, values that do not parse or break a rule.
 * The config server checks writes with it and services read what they apply with it, so the
 * two cannot disagree about what a value means.
 */
export function parseSettings(schema: DescMessage, values: Readonly<Record<string, string>>): SettingsResult {
  const json: JsonObject = {};
  const violations: FieldViolation[] = [];
  for (const key of Object.keys(values).sort()) {
    const problem = place(schema, json, key, values[key] ?? "");
    if (problem) violations.push({ field: valueField(key), description: problem });
  }
  if (violations.length > 0) return { ok: false, violations };
  let settings: Message;
  try {
    settings = fromJson(schema, json);
  } catch (e) {
    return { ok: false, violations: [{ field: "values", description: e instanceof Error ? e.message : String(e) }] };
  }
  const result = validator.validate(schema, settings);
  if (result.kind === "valid") return { ok: true, settings };
  if (result.kind === "error") return { ok: false, violations: [{ field: "values", description: result.error.message }] };
  return { ok: false, violations: result.violations.map((v) => ({ field: valueField(keyOf(v.field)), description: v.message })) };
}

// The config key of a protovalidate path: field names and map keys joined by dots.
function keyOf(path: Path): string {
  return path
    .map((p) => {
      if (p.kind === "map_sub") return String(p.key);
      if (p.kind === "list_sub") return String(p.index);
      return p.name;
    })
    .join(".");
}

/** Puts the value of `key` into `json` (proto3 JSON of `schema`); returns what is wrong with it, if anything. */
function place(schema: DescMessage, json: JsonObject, key: string, raw: string): string | undefined {
  const segments = key.split(".");
  let message = schema;
  let target = json;
  for (let i = 0; i < segments.length; i++) {
    const field = message.fields.find((f) => f.name === segments[i]);
    if (!field) return unknownKey(key);
    const last = i === segments.length - 1;
    switch (field.fieldKind) {
      case "message":
        if (last) return `is a group of settings: set its fields (e.g. ${key}.${field.message.fields[0]?.name ?? "…"})`;
        target = child(target, field.jsonName);
        message = field.message;
        continue;
      case "map": {
        const entry = segments[i + 1];
        if (entry === undefined) return `is a map: name an entry (${key}.<name>)`;
        const map = child(target, field.jsonName);
        if (field.mapKind === "message") {
          target = child(map, entry);
          message = field.message;
          i++;
          continue;
        }
        if (i + 1 !== segments.length - 1) return unknownKey(key);
        if (field.mapKind === "scalar" && field.scalar === ScalarType.STRING && SECRET_LIKE.test(entry)) return secretKey();
        return set(map, entry, field.mapKind === "enum" ? enumValue(field.enum, raw) : scalarValue(field.scalar, raw));
      }
      case "list":
        if (!last) return unknownKey(key);
        return setList(target, field, raw);
      case "enum":
        if (!last) return unknownKey(key);
        return set(target, field.jsonName, enumValue(field.enum, raw));
      case "scalar":
        if (!last) return unknownKey(key);
        return set(target, field.jsonName, scalarValue(field.scalar, raw));
      default: {
        const kind: never = field;
        throw new Error(`unhandled field kind ${String(kind)}`);
      }
    }
  }
  return unknownKey(key);
}

const unknownKey = (key: string) =>
  SECRET_LIKE.test(key) ? secretKey() : "is not a setting of this service (its settings message has no such field)";
const secretKey = () => "looks like a secret: secrets are never kept in the config server (use the secret store)";

function child(json: JsonObject, name: string): JsonObject {
  const existing = json[name];
  if (existing !== null && typeof existing === "object" && !Array.isArray(existing)) return existing;
  const made: JsonObject = {};
  json[name] = made;
  return made;
}

type Parsed = { value: JsonValue } | { problem: string };

function set(json: JsonObject, name: string, parsed: Parsed): string | undefined {
  if ("problem" in parsed) return parsed.problem;
  json[name] = parsed.value;
  return undefined;
}

function setList(json: JsonObject, field: DescField & { fieldKind: "list" }, raw: string): string | undefined {
  const items = raw.trim() === "" ? [] : raw.split(",").map((s) => s.trim());
  const values: JsonValue[] = [];
  for (const item of items) {
    const parsed = field.listKind === "scalar" ? scalarValue(field.scalar, item) : field.listKind === "enum" ? enumValue(field.enum, item) : { problem: "is a list of groups: not settable" };
    if ("problem" in parsed) return parsed.problem;
    values.push(parsed.value);
  }
  json[field.jsonName] = values;
  return undefined;
}

function enumValue(e: DescEnum, raw: string): Parsed {
  const wanted = raw.trim().toUpperCase();
  const value = e.values.find((v) => v.name === wanted || v.localName.toUpperCase() === wanted);
  return value ? { value: value.name } : { problem: `must be one of ${e.values.map((v) => v.localName).join(", ")}` };
}

const INT32 = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const UINT32 = { min: 0n, max: 2n ** 32n - 1n };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64 = { min: 0n, max: 2n ** 64n - 1n };

function scalarValue(type: ScalarType, raw: string): Parsed {
  switch (type) {
    case ScalarType.STRING:
      return { value: raw };
    case ScalarType.BYTES:
      return { problem: "is bytes: not settable through the config server" };
    case ScalarType.BOOL:
      if (raw === "true" || raw === "false") return { value: raw === "true" };
      return { problem: "must be true or false" };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      const n = Number(raw);
      return raw.trim() !== "" && Number.isFinite(n) ? { value: n } : { problem: "must be a number" };
    }
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return integer(raw, INT32, false);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return integer(raw, UINT32, false);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return integer(raw, INT64, true);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return integer(raw, UINT64, true);
    default: {
      const t: never = type;
      return { problem: `has an unsupported type ${String(t)}` };
    }
  }
}

function integer(raw: string, range: { min: bigint; max: bigint }, wide: boolean): Parsed {
  if (!/^-?\d{1,20}$/.test(raw)) return { problem: "must be a whole number" };
  const n = BigInt(raw);
  if (n < range.min || n > range.max) return { problem: `must be a whole number from ${range.min} to ${range.max}` };
  // proto3 JSON spells 64-bit integers as strings.
  return { value: wide ? n.toString() : Number(n) };
}
