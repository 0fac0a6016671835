import type { JsonObject, Registry } from "@bufbuild/protobuf";
import { invalidField } from "./errors.js";
import { protoPath, resolveFieldPath } from "./field-path.js";
import { parentOf, setIn, setMapEntry } from "./json-tree.js";
import type { CompiledRoute } from "./routes.js";
import { checkValue, jsonFromStrings, jsonMapValue } from "./string-values.js";

/** Whether a query parameter that names no request field is skipped rather than rejected. */
export type IgnoredQueryParameter = (name: string) => boolean;

/** The test of `TranscoderOptions.ignoredQueryParameters`: exact names, or patterns. */
export function ignoredQueryParameter(list: readonly (string | RegExp)[] = []): IgnoredQueryParameter {
  const names = new Set(list.filter((p) => typeof p === "string"));
  // Without g and y, test() keeps no state between calls (lastIndex).
  const patterns = list.filter((p) => p instanceof RegExp).map((p) => new RegExp(p.source, p.flags.replace(/[gy]/g, "")));
  if (names.size === 0 && patterns.length === 0) return () => false;
  return (name) => names.has(name) || patterns.some((p) => p.test(name));
}

/** The query string, checked and ready to write into each request message built from it. */
export interface BoundQuery {
  /** Writes every parameter into a request's JSON tree. */
  apply(tree: JsonObject): void;
  /** Whether `update_mask` was given explicitly (then the body does not set it). */
  maskSet: boolean;
}

/**
 * Checks the query parameters of a request against its route. A key is a dotted field path in
 * proto or JSON names (`inner.deep.value`, `displayName`), optionally `map_field[key]`
 * (grpc-gateway's map syntax). Unknown keys, keys bound by the path or the body, and several
 * values for a singular field are INVALID_ARGUMENT: Envoy's transcoder rejects unknown
 * parameters by default (`ignore_unknown_query_parameters: false`), and grpc-gateway rejects
 * "too many values" for singular fields. A key that names no field and that `ignored` accepts
 * is skipped; one that names a field is bound (or rejected) as usual even if listed, so an
 * ignore list never hides a real input.
 */
export function bindQuery(route: CompiledRoute, query: string, registry: Registry, ignored: IgnoredQueryParameter): BoundQuery {
  const grouped = new Map<string, string[]>();
  // URLSearchParams decodes "+" as a space, as Go's url.ParseQuery does for grpc-gateway.
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === "") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const writes: ((tree: JsonObject) => void)[] = [];
  let maskSet = false;
  const input = route.info.method.input;
  for (const [key, values] of grouped) {
    const mapKey = /^(.+)\[(.*)\]$/.exec(key);
    const fields = resolveFieldPath(input, mapKey ? mapKey[1] : key);
    if (typeof fields === "string" && ignored(key)) continue;
    if (route.info.body === "*") {
      // http.proto, rule 2: with `body: "*"` there are no query parameters.
      throw invalidField(key, `unknown query parameter: ${route.info.httpMethod} ${route.info.template} takes its fields from the body`);
    }
    if (typeof fields === "string") throw invalidField(key, "unknown query parameter");
    const canonical = protoPath(fields);
    if (route.bodyField && fields[0] === route.bodyField) throw invalidField(key, "bound by the request body, not the query");
    for (const bound of route.pathFields.values()) {
      if (protoPath(bound) === canonical) throw invalidField(key, "bound by the path, not the query");
    }
    const leaf = fields[fields.length - 1];
    const parent = parentOf(input, fields);
    if (mapKey) {
      if (leaf.fieldKind !== "map") throw invalidField(key, "not a map field");
      if (values.length > 1) throw invalidField(key, "given more than once");
      const value = jsonMapValue(leaf, values[0], key);
      checkValue(parent, leaf, { [mapKey[2]]: value }, key, registry);
      writes.push((tree) => setMapEntry(tree, fields, mapKey[2], value));
      continue;
    }
    const value = jsonFromStrings(leaf, values, key);
    checkValue(parent, leaf, value, key, registry);
    writes.push((tree) => setIn(tree, fields, value));
    if (route.updateMask && fields.length === 1 && leaf === route.updateMask) maskSet = true;
  }
  return {
    apply(tree) {
      for (const w of writes) w(tree);
    },
    maskSet,
  };
}
