// A minimal structural check of an OpenAPI 3.1 document: the rules of the specification that
// a generator can get wrong (dangling $refs, path parameters that do not match the template,
// duplicate operationIds, ...). Not a full validator, and no dependency for one.
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const VERBS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const TYPES = ["null", "boolean", "object", "array", "number", "string", "integer"];

function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let cur: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    cur = isObj(cur) ? cur[key] : undefined;
  }
  return cur;
}

/** Walks every value: $refs must resolve, schema keywords must be well-formed, nothing undefined. */
function checkValues(doc: Json, v: unknown, at: string, out: string[]): void {
  if (v === undefined) out.push(`${at}: undefined value`);
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) checkValues(doc, x, `${at}/${i}`, out);
  }
  if (!isObj(v)) return;
  if (typeof v.$ref === "string" && resolvePointer(doc, v.$ref) === undefined) out.push(`${at}: dangling $ref ${v.$ref}`);
  if (at.includes("schema")) {
    const types = v.type === undefined ? [] : Array.isArray(v.type) ? v.type : [v.type];
    for (const t of types) if (typeof t === "string" && !TYPES.includes(t)) out.push(`${at}: bad type ${String(t)}`);
    if (Array.isArray(v.required) && isObj(v.properties)) {
      for (const r of v.required) if (typeof r !== "string" || !(r in v.properties)) out.push(`${at}: required ${String(r)} not a property`);
    }
  }
  for (const [k, x] of Object.entries(v)) checkValues(doc, x, `${at}/${k}`, out);
}

function checkOperation(doc: Json, path: string, verb: string, op: Json, seenIds: Set<string>, out: string[]): void {
  const at = `${verb.toUpperCase()} ${path}`;
  if (typeof op.operationId !== "string") out.push(`${at}: no operationId`);
  else if (seenIds.has(op.operationId)) out.push(`${at}: duplicate operationId ${op.operationId}`);
  else seenIds.add(op.operationId);
  const tags = Array.isArray(doc.tags) ? doc.tags.map((t) => (isObj(t) ? t.name : undefined)) : [];
  for (const t of Array.isArray(op.tags) ? op.tags : []) if (!tags.includes(t)) out.push(`${at}: undeclared tag ${String(t)}`);
  if (!isObj(op.responses) || Object.keys(op.responses).length === 0) out.push(`${at}: no responses`);
  for (const [code, r] of Object.entries(isObj(op.responses) ? op.responses : {})) {
    if (!/^([1-5][0-9][0-9]|[1-5]XX|default)$/.test(code)) out.push(`${at}: bad response key ${code}`);
    if (!isObj(r) || typeof r.description !== "string") out.push(`${at}: response ${code} without description`);
  }
  const params = (Array.isArray(op.parameters) ? op.parameters : []).filter(isObj);
  const keys = params.map((p) => `${String(p.in)}:${String(p.name)}`);
  if (new Set(keys).size !== keys.length) out.push(`${at}: duplicate parameters`);
  for (const p of params) {
    if (typeof p.name !== "string" || !["path", "query", "header", "cookie"].includes(String(p.in))) out.push(`${at}: bad parameter`);
    if (!isObj(p.schema)) out.push(`${at}: parameter ${String(p.name)} without schema`);
    if (p.in === "path" && p.required !== true) out.push(`${at}: path parameter ${String(p.name)} not required`);
  }
  const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
  const declared = params.filter((p) => p.in === "path").map((p) => String(p.name)).sort();
  if (JSON.stringify(inTemplate) !== JSON.stringify(declared)) out.push(`${at}: path parameters ${declared} vs template ${inTemplate}`);
  if (op.requestBody !== undefined && !(isObj(op.requestBody) && isObj(op.requestBody.content))) out.push(`${at}: bad requestBody`);
  const schemes = isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  for (const req of Array.isArray(op.security) ? op.security : []) {
    for (const name of Object.keys(isObj(req) ? req : {})) if (!(name in schemes)) out.push(`${at}: unknown security scheme ${name}`);
  }
}

/** Everything structurally wrong with `doc` as an OpenAPI 3.1 document; empty when fine. */
export function structuralProblems(doc: unknown): string[] {
  const out: string[] = [];
  if (!isObj(doc)) return ["not an object"];
  if (typeof doc.openapi !== "string" || !/^3\.1\.\d+$/.test(doc.openapi)) out.push("openapi is not 3.1.x");
  if (!isObj(doc.info) || typeof doc.info.title !== "string" || typeof doc.info.version !== "string") out.push("bad info");
  if (!isObj(doc.paths)) return [...out, "no paths"];
  const seenIds = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith("/")) out.push(`${path}: does not start with /`);
    if (!isObj(item)) continue;
    for (const [verb, op] of Object.entries(item)) {
      if (!VERBS.includes(verb) || !isObj(op)) out.push(`${path}: bad operation key ${verb}`);
      else checkOperation(doc, path, verb, op, seenIds, out);
    }
  }
  checkValues(doc, doc, "#", out);
  return out;
}
