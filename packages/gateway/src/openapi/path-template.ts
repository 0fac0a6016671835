// google.api.http path templates -> OpenAPI paths. OpenAPI only knows `{name}` for a whole
// segment, so the richer template forms are flattened the way protoc-gen-openapiv2
// (grpc-gateway) does it: `{name=shelves/*}` becomes `{name}` and the sub-template is kept as a
// `pattern` on the parameter, since its value then contains `/`.

/** One `{...}` of an OpenAPI path. */
export interface PathVariable {
  /** The parameter name: the dotted proto field path, or `wildcardN` for an unbound `*`/`**`. */
  name: string;
  /** The proto field path it binds; undefined for unbound wildcards. */
  field?: string;
  /** A regular expression the value must match when the template gives more than `*`. */
  pattern?: string;
  /** The sub-template it came from (`shelves/*`), when there is one. */
  segments?: string;
}

export interface OpenApiPath {
  path: string;
  variables: PathVariable[];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A regular expression for a template's sub-segments, e.g. `shelves/*` -> `^shelves/[^/]+$`. */
function segmentsPattern(segments: string): string {
  const parts = segments.split("/").map((s) => (s === "**" ? ".+" : s === "*" ? "[^/]+" : escapeRegExp(s)));
  return `^${parts.join("/")}$`;
}

/**
 * Converts a path template (`/v1/{name=shelves/*}/books/{book.id}:publish`) to its OpenAPI
 * form (`/v1/{name}/books/{book.id}:publish`). The `:verb` suffix stays literal: OpenAPI 3.1
 * paths may contain `:`, and the verb is what tells such routes apart.
 */
export function toOpenApiPath(template: string): OpenApiPath {
  const variables: PathVariable[] = [];
  let path = "";
  let wildcards = 0;
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === "{") {
      const end = template.indexOf("}", i);
      if (end < 0) throw new Error(`unterminated variable in path template ${template}`);
      const body = template.slice(i + 1, end);
      const eq = body.indexOf("=");
      const field = eq < 0 ? body : body.slice(0, eq);
      const segments = eq < 0 ? "*" : body.slice(eq + 1);
      variables.push(segments === "*" ? { name: field, field } : { name: field, field, segments, pattern: segmentsPattern(segments) });
      path += `{${field}}`;
      i = end + 1;
      continue;
    }
    // A bare `*` or `**` segment matches without binding a field; OpenAPI can only say that
    // with a parameter, so it gets a synthetic one the transcoder ignores.
    const atSegmentStart = path.endsWith("/");
    if (c === "*" && atSegmentStart) {
      const deep = template[i + 1] === "*";
      const name = `wildcard${++wildcards}`;
      variables.push(deep ? { name, segments: "**", pattern: "^.+$" } : { name });
      path += `{${name}}`;
      i += deep ? 2 : 1;
      continue;
    }
    path += c;
    i++;
  }
  return { path, variables };
}
