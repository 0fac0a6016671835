// The subset of OpenAPI 3.1 that buildOpenApi emits. Typed loosely on purpose (open index
// signatures): the document is serialised as JSON and read by tools, not by our code.

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  additionalProperties?: boolean | SchemaObject;
  enum?: unknown[];
  deprecated?: boolean;
  [keyword: string]: unknown;
}

/** A path, query or header parameter. */
export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  description?: string;
  deprecated?: boolean;
  schema: SchemaObject;
  style?: "simple" | "form";
  explode?: boolean;
}

export interface MediaTypeObject {
  schema: SchemaObject;
}

export interface RequestBodyObject {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface HeaderObject {
  description: string;
  schema: SchemaObject;
}

/** An HTTP API security scheme: a bearer token or an API key in a header. */
export type SecuritySchemeObject =
  | { type: "http"; scheme: "bearer"; bearerFormat?: string; description?: string }
  | { type: "apiKey"; in: "header"; name: string; description?: string };

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  tags: string[];
  summary?: string;
  description?: string;
  deprecated?: boolean;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  /** `[]` makes the operation public; absent means the document-level requirement applies. */
  security?: Record<string, string[]>[];
}

export type HttpVerb = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

export type PathItemObject = Partial<Record<HttpVerb, OperationObject>>;

/** An OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, SchemaObject>;
    securitySchemes: Record<string, SecuritySchemeObject>;
  };
  security: Record<string, string[]>[];
}
