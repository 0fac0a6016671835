import type { DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";

// The request message is assembled as one proto3 JSON object before protobuf-es parses it
// (request-binding.ts). These write into that object by field path, under the field's JSON name,
// replacing the proto-name spelling of the same key so a value is never given twice.

/** Sets the JSON value at a field path, creating objects on the way. */
export function setIn(tree: JsonObject, fields: DescField[], value: JsonValue): void {
  const leaf = fields[fields.length - 1];
  const parent = parentObject(tree, fields);
  delete parent[leaf.name];
  parent[leaf.jsonName] = value;
}

/** Adds one entry to the map field at a field path, keeping the entries already there. */
export function setMapEntry(tree: JsonObject, fields: DescField[], key: string, value: JsonValue): void {
  const leaf = fields[fields.length - 1];
  const parent = parentObject(tree, fields);
  const existing = parent[leaf.jsonName] ?? parent[leaf.name];
  delete parent[leaf.name];
  parent[leaf.jsonName] = { ...(isObject(existing) ? existing : {}), [key]: value };
}

/** The message that declares the last field of a path. */
export function parentOf(root: DescMessage, fields: DescField[]): DescMessage {
  const owner = fields.length > 1 ? fields[fields.length - 2] : undefined;
  return owner?.fieldKind === "message" ? owner.message : root;
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
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
