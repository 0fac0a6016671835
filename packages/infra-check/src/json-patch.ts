import { isMap } from "./manifest.js";

/** One RFC 6902 operation of the kinds the overlays use. */
export interface PatchOperation {
  op: "add" | "replace" | "remove";
  path: string;
  value?: unknown;
}

/** Narrows parsed YAML to JSON patch operations, or throws naming what is wrong. */
export function asPatchOperations(doc: unknown, where: string): PatchOperation[] {
  if (!Array.isArray(doc)) throw new Error(`${where}: a JSON patch is a list of operations`);
  return doc.map((op, i) => {
    if (!isMap(op) || typeof op.path !== "string" || !["add", "replace", "remove"].includes(String(op.op))) {
      throw new Error(`${where}: operation ${i} must be add, replace or remove with a path`);
    }
    if (op.op !== "remove" && !("value" in op)) throw new Error(`${where}: operation ${i} (${op.op}) has no value`);
    return op as unknown as PatchOperation;
  });
}

/** Applies `ops` to `doc` in place (RFC 6902 add/replace/remove); a path that is not there throws. */
export function applyJsonPatch(doc: unknown, ops: PatchOperation[], where: string): void {
  for (const op of ops) {
    const keys = op.path.split("/").slice(1).map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop();
    if (last === undefined) throw new Error(`${where}: cannot ${op.op} the whole document`);
    let parent: unknown = doc;
    for (const key of keys) {
      parent = Array.isArray(parent) ? parent[Number(key)] : isMap(parent) ? parent[key] : undefined;
      if (parent === undefined) throw new Error(`${where}: ${op.path} does not exist`);
    }
    if (Array.isArray(parent)) {
      const index = last === "-" ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error(`${where}: bad index in ${op.path}`);
      if (op.op === "add") parent.splice(index, 0, op.value);
      else if (index >= parent.length) throw new Error(`${where}: ${op.path} does not exist`);
      else if (op.op === "replace") parent[index] = op.value;
      else parent.splice(index, 1);
    } else if (isMap(parent)) {
      if (op.op !== "add" && !(last in parent)) throw new Error(`${where}: ${op.path} does not exist`);
      if (op.op === "remove") delete parent[last];
      else parent[last] = op.value;
    } else {
      throw new Error(`${where}: ${op.path} does not exist`);
    }
  }
}
