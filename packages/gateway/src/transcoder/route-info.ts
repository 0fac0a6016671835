import type { DescMethod, DescService } from "@bufbuild/protobuf";

/**
 * One REST binding of an RPC, as read from its google.api.http rule (the main rule or one of
 * its additional_bindings). The transcoder routes with it; OpenAPI documents it.
 */
export interface RouteInfo {
  service: DescService;
  method: DescMethod;
  /** Upper-case HTTP method: GET, POST, PUT, PATCH, DELETE, or a `custom` rule's kind. */
  httpMethod: string;
  /** The path template as written in the rule, e.g. `/api/v1/users/{user_id}:setRoles`. */
  template: string;
  /**
   * Request fields bound by path variables, in order of appearance, as dotted proto field
   * paths (`user_id`, `property.property_id`, `name` for `{name=shelves/*}`).
   */
  pathFields: string[];
  /** The custom verb after the last `:`, e.g. `setRoles`; undefined when there is none. */
  verb?: string;
  /** `*` (the whole request), a top-level request field name, or undefined (no body). */
  body?: string;
  /** A top-level response field sent as the whole response body, or undefined. */
  responseBody?: string;
  /** 0 for the main rule, 1.. for additional_bindings. */
  bindingIndex: number;
  /**
   * The top-level string request field the Idempotency-Key header fills (proto name), when the
   * transcoder was told of one (`TranscoderOptions.idempotencyKeyField`).
   */
  idempotencyKeyField?: string;
}
