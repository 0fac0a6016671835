import { describe, expect, it } from "vitest";
import { type PathVariable, toOpenApiPath } from "../../src/openapi/path-template.js";

describe("toOpenApiPath", () => {
  it.each<[string, string, PathVariable[]]>([
    ["/api/v1/users", "/api/v1/users", []],
    ["/api/v1/users/{user_id}", "/api/v1/users/{user_id}", [{ name: "user_id", field: "user_id" }]],
    ["/api/v1/users/{user_id}:setRoles", "/api/v1/users/{user_id}:setRoles", [{ name: "user_id", field: "user_id" }]],
    ["/api/v1/auth:login", "/api/v1/auth:login", []],
    ["/v1/{a.b}/x", "/v1/{a.b}/x", [{ name: "a.b", field: "a.b" }]],
    [
      "/v1/{name=shelves/*}",
      "/v1/{name}",
      [{ name: "name", field: "name", segments: "shelves/*", pattern: "^shelves/[^/]+$" }],
    ],
    [
      "/v1/{name=shelves/*/books/*}:publish",
      "/v1/{name}:publish",
      [{ name: "name", field: "name", segments: "shelves/*/books/*", pattern: "^shelves/[^/]+/books/[^/]+$" }],
    ],
    ["/v1/{path=**}", "/v1/{path}", [{ name: "path", field: "path", segments: "**", pattern: "^.+$" }]],
    [
      "/v1/*/things/**",
      "/v1/{wildcard1}/things/{wildcard2}",
      [{ name: "wildcard1" }, { name: "wildcard2", segments: "**", pattern: "^.+$" }],
    ],
  ])("turns %s into %s", (template, path, variables) => {
    expect(toOpenApiPath(template)).toEqual({ path, variables });
  });

  it("rejects an unterminated variable", () => {
    expect(() => toOpenApiPath("/v1/{name")).toThrow(/unterminated/);
  });
});
