// JSON Schema facts that follow directly from buf.validate field rules, so the docs show the
// limits the services enforce (one contract, no second schema to drift). Only the obvious
// ones: CEL expressions, cross-field and message-level rules stay out.
import { type DescExtension, type DescField, type DescFile, getOption, hasOption, isMessage, toJson } from "@bufbuild/protobuf";
import type { SchemaObject } from "./types.js";

/** The rules of one field as proto3 JSON, e.g. `{"string": {"minLen": "1"}, "required": true}`. */
type RulesJson = Record<string, unknown>;

const RULES_EXTENSION = "buf.validate.field";

// The extension is found through the descriptors' own imports rather than imported from
// @bufbuild/protovalidate: any proto that uses the rules carries them, and the gateway (a
// library for any annotated proto) needs no dependency for it.
const extensionByFile = new WeakMap<DescFile, DescExtension | null>();

function findRulesExtension(file: DescFile): DescExtension | undefined {
  const cached = extensionByFile.get(file);
  if (cached !== undefined) return cached ?? undefined;
  const seen = new Set<DescFile>();
  const queue = [file];
  let found: DescExtension | null = null;
  while (queue.length > 0 && !found) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    found = f.extensions.find((e) => e.typeName === RULES_EXTENSION) ?? null;
    queue.push(...f.dependencies);
  }
  extensionByFile.set(file, found);
  return found ?? undefined;
}

function rulesOf(field: DescField): RulesJson | undefined {
  const ext = findRulesExtension(field.parent.file);
  if (ext?.fieldKind !== "message" || !hasOption(field, ext)) return undefined;
  const value: unknown = getOption(field, ext);
  if (!isMessage(value, ext.message)) return undefined;
  const json = toJson(ext.message, value);
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as RulesJson) : undefined;
}

const obj = (v: unknown): RulesJson => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as RulesJson) : {});
// uint64 limits (min_len, max_items, ...) arrive as JSON strings.
const num = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined;

function put(target: SchemaObject, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

const STRING_FORMATS: Record<string, string> = {
  email: "email",
  uuid: "uuid",
  uri: "uri",
  hostname: "hostname",
  ipv4: "ipv4",
  ipv6: "ipv6",
};

function stringFacts(r: RulesJson, out: SchemaObject): void {
  const len = num(r["len"]);
  put(out, "minLength", len ?? num(r["minLen"]));
  put(out, "maxLength", len ?? num(r["maxLen"]));
  put(out, "pattern", typeof r["pattern"] === "string" ? r["pattern"] : undefined);
  put(out, "const", r["const"]);
  if (Array.isArray(r["in"]) && r["in"].length > 0) out.enum = r["in"];
  for (const [rule, format] of Object.entries(STRING_FORMATS)) if (r[rule] === true) out.format = format;
}

// Only for types whose JSON form is a number; 64-bit integers are strings in JSON, where
// minimum/maximum would not apply.
function numberFacts(r: RulesJson, out: SchemaObject): void {
  put(out, "minimum", num(r["gte"]));
  put(out, "exclusiveMinimum", num(r["gt"]));
  put(out, "maximum", num(r["lte"]));
  put(out, "exclusiveMaximum", num(r["lt"]));
  put(out, "const", num(r["const"]));
}

const NUMBER_RULES = ["int32", "uint32", "sint32", "fixed32", "sfixed32", "float", "double"];

interface Facts {
  facts: SchemaObject;
  required: boolean;
}

// Descriptors are immutable, and a field is asked about once for its schema and once for its
// message's `required` list.
const factsByField = new WeakMap<DescField, Facts>();

/** What buf.validate says about a field, as JSON Schema keywords plus whether it is required. */
export function validateFacts(field: DescField): Facts {
  let f = factsByField.get(field);
  if (!f) {
    f = computeFacts(field);
    factsByField.set(field, f);
  }
  return { facts: { ...f.facts }, required: f.required };
}

function computeFacts(field: DescField): Facts {
  const facts: SchemaObject = {};
  const rules = rulesOf(field);
  if (!rules) return { facts, required: false };
  // Any `ignore` mode lets the zero value (or everything) through, which JSON Schema limits
  // such as minLength would wrongly reject; say nothing rather than something false.
  if (rules["ignore"] !== undefined && rules["ignore"] !== "IGNORE_UNSPECIFIED") return { facts, required: false };
  if (rules["string"]) stringFacts(obj(rules["string"]), facts);
  for (const kind of NUMBER_RULES) if (rules[kind]) numberFacts(obj(rules[kind]), facts);
  if (rules["repeated"]) {
    const r = obj(rules["repeated"]);
    put(facts, "minItems", num(r["minItems"]));
    put(facts, "maxItems", num(r["maxItems"]));
    if (r["unique"] === true) facts.uniqueItems = true;
  }
  if (rules["map"]) {
    const r = obj(rules["map"]);
    put(facts, "minProperties", num(r["minPairs"]));
    put(facts, "maxProperties", num(r["maxPairs"]));
  }
  return { facts, required: rules["required"] === true };
}
