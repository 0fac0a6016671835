/** OpenAPI for the REST API, generated from the same route list the transcoder serves. */
export { type BuildOpenApiOptions, buildOpenApi, STATUS_SCHEMA } from "./openapi.js";
export { type DocComments, docCommentsFromDescriptorSet } from "./doc-comments.js";
export { type DocsOptions, registerDocs } from "./docs-page.js";
export { type OpenApiPath, type PathVariable, toOpenApiPath } from "./path-template.js";
export type {
  OpenApiDocument,
  OperationObject,
  ParameterObject,
  PathItemObject,
  SchemaObject,
} from "./types.js";
