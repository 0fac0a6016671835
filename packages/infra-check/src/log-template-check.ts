/** A field's mapping in an Elasticsearch index template (the parts checked here). */
export interface FieldMapping {
  type?: string;
  properties?: Record<string, FieldMapping>;
}

/** The parts of a composable index template the checks read. */
export interface IndexTemplate {
  index_patterns: string[];
  template: {
    mappings: {
      dynamic?: boolean | string;
      dynamic_templates?: Record<string, { match_mapping_type?: string; mapping?: FieldMapping }>[];
      properties: Record<string, FieldMapping>;
    };
  };
}

/** The mapping at a dotted path (`trace.id`), undefined when the template does not map it. */
export function mappingAt(template: IndexTemplate, path: string): FieldMapping | undefined {
  let props: Record<string, FieldMapping> | undefined = template.template.mappings.properties;
  let found: FieldMapping | undefined;
  for (const part of path.split(".")) {
    found = props?.[part];
    if (!found) return undefined;
    props = found.properties;
  }
  return found;
}

// Leaves of a JSON document by their dotted path, dotted keys split as Elasticsearch expands them.
function leaves(value: unknown, path: string[] = [], out: [string, unknown][] = []): [string, unknown][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, ...k.split(".")], out);
  } else {
    out.push([path.join("."), value]);
  }
  return out;
}

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/** Why `value` would not index as `type` (undefined: it would). */
function mismatch(type: string, value: unknown): string | undefined {
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    switch (type) {
      case "keyword":
      case "wildcard":
      case "text":
      case "match_only_text":
        if (typeof v !== "string") return `a ${typeof v} where ${type} expects a string`;
        break;
      case "long":
      case "integer":
        if (typeof v !== "number" || !Number.isInteger(v)) return `${JSON.stringify(v)} is not an integer`;
        break;
      case "float":
      case "double":
        if (typeof v !== "number") return `${JSON.stringify(v)} is not a number`;
        break;
      case "date":
        if (typeof v !== "string" || Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) return `${JSON.stringify(v)} is not an ISO 8601 date`;
        break;
      case "ip":
        if (typeof v !== "string" || !(IPV4.test(v) || v.includes(":"))) return `${JSON.stringify(v)} is not an IP address`;
        break;
      default:
        return `the template maps it as ${type}, which this check does not know`;
    }
  }
  return undefined;
}

/**
 * What would keep a log line (one JSON object) from indexing under `template` as it is: a field
 * the template maps with a type its value does not fit, a value where the template has an
 * object, or a field no explicit mapping or dynamic template takes.
 */
export function logLineProblems(template: IndexTemplate, line: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { mappings } = template.template;
  const dynamicStrings = (mappings.dynamic_templates ?? []).some((t) => Object.values(t).some((d) => d.match_mapping_type === "string" && d.mapping?.type === "keyword"));
  for (const [path, value] of leaves(line)) {
    if (value === null || value === undefined) continue;
    const mapped = mappingAt(template, path);
    // A leaf under a field mapped as a value ("rpc": keyword, then "rpc.x") cannot be indexed.
    const parts = path.split(".");
    for (let i = 1; i < parts.length; i++) {
      const above = mappingAt(template, parts.slice(0, i).join("."));
      if (above?.type) problems.push(`${path}: ${parts.slice(0, i).join(".")} is mapped as ${above.type}, not an object`);
    }
    if (mapped?.properties && !mapped.type) {
      problems.push(`${path}: the template maps an object here, the line has a value`);
    } else if (mapped?.type) {
      const why = mismatch(mapped.type, value);
      if (why) problems.push(`${path}: ${why}`);
    } else if (mappings.dynamic === false || mappings.dynamic === "strict") {
      problems.push(`${path}: not mapped, and the template takes no new fields`);
    } else if (typeof value === "string" && !dynamicStrings) {
      problems.push(`${path}: a new string field would be mapped as text and keyword both: add a dynamic template`);
    }
  }
  return problems;
}
