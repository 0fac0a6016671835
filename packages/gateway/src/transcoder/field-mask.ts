import type { DescField, DescMessage, JsonValue } from "@bufbuild/protobuf";
import { findField } from "./field-path.js";

// grpc-gateway's PATCH feature (https://grpc-ecosystem.github.io/grpc-gateway/docs/mapping/patch_feature):
// for a PATCH whose rule has `body: "field"`, an unset FieldMask is filled with the paths of the
// keys present in the JSON body, so a plain JSON merge-patch becomes a proper partial update.
// grpc-gateway looks for "exactly one FieldMask" in the request; we look for the one named
// `update_mask` at the top level (AIP-134's name), which cannot pick the wrong mask when a
// request happens to carry a second one (e.g. a read mask).

/** The top-level `update_mask` FieldMask field of a request message, if it has one. */
export function isUpdateMaskTarget(request: DescMessage): DescField | undefined {
  const f = request.fields.find((x) => x.name === "update_mask");
  return f?.fieldKind === "message" && f.message.typeName === "google.protobuf.FieldMask" ? f : undefined;
}

// Messages whose JSON form is an object but which are values, not field sets: their keys are
// data, so the mask stops at them (grpc-gateway treats Struct and Any the same way).
const OPAQUE_OBJECTS = new Set(["google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.Any"]);

/**
 * The field paths (proto names, dotted for nested messages) of the keys present in `json`, the
 * body of a message of type `message`. Keys already passed proto3 JSON parsing, so each names
 * a field; map fields, repeated fields and well-known values are leaves.
 */
export function fieldMaskFromJson(message: DescMessage, json: JsonValue): string[] {
  const paths: string[] = [];
  walk(message, json, "", paths);
  return paths;
}

function walk(message: DescMessage, json: JsonValue, prefix: string, out: string[]): void {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return;
  for (const [key, value] of Object.entries(json)) {
    const field = findField(message, key);
    if (!field) continue;
    const path = prefix + field.name;
    const nested =
      field.fieldKind === "message" &&
      !OPAQUE_OBJECTS.has(field.message.typeName) &&
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      Object.keys(value).length > 0;
    if (nested) {
      walk(field.message, value, `${path}.`, out);
    } else {
      out.push(path);
    }
  }
}
