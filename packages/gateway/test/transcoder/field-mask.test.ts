import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Stack, startStack } from "./fixture.js";

// grpc-gateway's PATCH feature: with `body: "item"` and no update_mask given, the mask is the
// list of keys the client sent (https://grpc-ecosystem.github.io/grpc-gateway/docs/mapping/patch_feature).

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s?.close();
});

const patch = (path: string, body: string) => call(s.base + path, { method: "PATCH", body });

describe("update_mask from the body", () => {
  it.each([
    { what: "one field", body: { name: "n" }, mask: "name" },
    { what: "JSON names become proto paths", body: { displayName: "d", note: "x" }, mask: "displayName,note" },
    { what: "proto names", body: { display_name: "d" }, mask: "displayName" },
    { what: "nested objects as dotted paths", body: { inner: { label: "l", deep: { value: "v" } } }, mask: "inner.label,inner.deep.value" },
    { what: "an empty nested object as the field itself", body: { inner: {} }, mask: "inner" },
    { what: "a null as the field (to clear it)", body: { inner: null, name: "" }, mask: "inner,name" },
    { what: "maps, lists, Struct and well-known types as leaves", body: { labels: { a: "1" }, tags: ["t"], extra: { k: { z: 1 } }, at: "2026-01-01T00:00:00Z" }, mask: "labels,tags,extra,at" },
  ])("fills it from $what", async (c) => {
    const r = await patch("/v1/items/m1", JSON.stringify(c.body));
    expect(r.status, r.text).toBe(200);
    // The response is the request echoed; FieldMask prints its paths in JSON (camelCase) form.
    expect(r.json).toMatchObject({ updateMask: c.mask, item: { id: "m1" } });
  });

  it("takes the mask from the body as sent, before the path overrides item.id", async () => {
    const r = await patch("/v1/items/m2", '{"id":"other","name":"n"}');
    expect(r.json).toMatchObject({ updateMask: "id,name", item: { id: "m2" } });
  });

  it("leaves a mask given in the query alone", async () => {
    const r = await patch("/v1/items/m3?update_mask=name,inner.label", '{"name":"n","flag":true}');
    expect(r.json).toMatchObject({ updateMask: "name,inner.label" });
  });

  it("leaves the mask unset without a body", async () => {
    const r = await patch("/v1/items/m4", "");
    expect(r.json).not.toHaveProperty("updateMask");
  });
});
