import type { DescField, DescMessage } from "@bufbuild/protobuf";

/**
 * A field of `message` by its proto name (`display_name`) or its JSON name (`displayName`):
 * grpc-gateway and Envoy accept either in query parameters, and proto3 JSON in bodies.
 */
export function findField(message: DescMessage, name: string): DescField | undefined {
  return message.fields.find((f) => f.name === name) ?? message.fields.find((f) => f.jsonName === name);
}

/**
 * Resolves a dotted field path (`inner.deep.value`) from `root`: every step but the last must
 * be a singular message field. Returns the fields along the path, or a reason it does not resolve.
 */
export function resolveFieldPath(root: DescMessage, path: string): DescField[] | string {
  const fields: DescField[] = [];
  let message: DescMessage | undefined = root;
  for (const part of path.split(".")) {
    if (!message) return `"${path}": ${fields.at(-1)?.name} is not a message`;
    const field = findField(message, part);
    if (!field) return `"${path}": no field "${part}" in ${message.typeName}`;
    fields.push(field);
    message = field.fieldKind === "message" ? field.message : undefined;
  }
  return fields;
}

/** The dotted proto-name path of resolved fields, the canonical spelling in errors and masks. */
export function protoPath(fields: readonly DescField[]): string {
  return fields.map((f) => f.name).join(".");
}
