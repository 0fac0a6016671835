import { describe, expect, it } from "vitest";
import { createSchemaBuilder } from "../../src/openapi/schemas.js";
import type { SchemaObject } from "../../src/openapi/types.js";
import { KitchenSchema } from "./kitchen.js";

const schemas: Record<string, SchemaObject> = {};
const root = createSchemaBuilder(schemas).messageRef(KitchenSchema);
const kitchen = schemas["test.v1.Kitchen"];
const prop = (name: string): SchemaObject => kitchen.properties![name];

describe("schemas", () => {
  it("name messages by full proto name and reference them", () => {
    expect(root).toEqual({ $ref: "#/components/schemas/test.v1.Kitchen" });
    expect(Object.keys(schemas)).toEqual(["test.v1.Kitchen"]);
  });

  it("refer to a recursive message instead of expanding it forever", () => {
    expect(prop("parent")).toEqual({ $ref: "#/components/schemas/test.v1.Kitchen" });
    expect(prop("children")).toEqual({ type: "array", items: { $ref: "#/components/schemas/test.v1.Kitchen" } });
    expect(() => JSON.stringify(schemas)).not.toThrow();
  });

  it.each<[string, SchemaObject]>([
    ["bigCount", { type: "string", format: "int64" }],
    ["smallCount", { type: "integer", minimum: 0, maximum: 4294967295 }],
    ["blob", { type: "string", format: "byte" }],
    ["maybeCount", { type: ["string", "null"], format: "int64" }],
    ["maybeFlag", { type: ["boolean", "null"] }],
    ["timeout", { type: "string", pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$" }],
    ["extra", { type: "object", additionalProperties: true }],
    ["payload", { type: "object", required: ["@type"] }],
    ["counts", { type: "object", additionalProperties: { type: "string", format: "int64" } }],
    ["tags", { type: "array", items: { type: "string" } }],
  ])("write %s in its proto3 JSON form", (name, expected) => {
    expect(prop(name)).toMatchObject(expected);
  });

  it("use the JSON (lowerCamelCase) names of fields", () => {
    expect(Object.keys(kitchen.properties!)).toContain("shelfName");
    expect(Object.keys(kitchen.properties!)).not.toContain("shelf_name");
  });

  it("say which fields share a oneof", () => {
    expect(kitchen.description).toContain("at most one of `text`, `blob` (oneof `content`)");
    expect(prop("text").description).toBe("Member of oneof `content`.");
  });
});
