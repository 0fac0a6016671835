import { describe, expect, it } from "vitest";
import { matchTemplate, parsePathTemplate, splitRequestPath } from "../../src/transcoder/path-template.js";

// The template grammar of google/api/http.proto, unit by unit (the HTTP tests cover routing).

describe("parsePathTemplate", () => {
  it.each([
    { t: "/v1/items", segments: ["v1", "items"], vars: [], verb: undefined },
    { t: "/v1/items/{id}", segments: ["v1", "items", "*"], vars: [["id", 2, 3]], verb: undefined },
    { t: "/v1/{name=shelves/*/books/*}", segments: ["v1", "shelves", "*", "books", "*"], vars: [["name", 1, 5]], verb: undefined },
    { t: "/v1/{a.b.c}/x", segments: ["v1", "*", "x"], vars: [["a.b.c", 1, 2]], verb: undefined },
    { t: "/v1/files/{path=**}", segments: ["v1", "files", "**"], vars: [["path", 2, 3]], verb: undefined },
    { t: "/v1/static/**:download", segments: ["v1", "static", "**"], vars: [], verb: "download" },
    { t: "/v1/{name=shelves/*}:lookup", segments: ["v1", "shelves", "*"], vars: [["name", 1, 3]], verb: "lookup" },
    { t: "/api/v1/auth:login", segments: ["api", "v1", "auth"], vars: [], verb: "login" },
    { t: "/v1/*/x", segments: ["v1", "*", "x"], vars: [], verb: undefined },
  ])("parses $t", (c) => {
    const p = parsePathTemplate(c.t);
    expect(p.segments.map((s) => (s.kind === "literal" ? s.value : s.kind === "wildcard" ? "*" : "**"))).toEqual(c.segments);
    expect(p.variables.map((v) => [v.fieldPath, v.start, v.end])).toEqual(c.vars);
    expect(p.verb).toBe(c.verb);
  });

  it.each([
    "v1/items",
    "/v1/{id",
    "/v1/{id}}",
    "/v1/{a={b}}",
    "/v1/**/x",
    "/v1/{1bad}",
    "/v1//x",
    "/v1/items:",
    "/v1/{id}/{id}",
  ])("rejects %s", (t) => {
    expect(() => parsePathTemplate(t)).toThrow(/invalid path template/);
  });
});

describe("matchTemplate", () => {
  it.each([
    { t: "/v1/items/{id}", path: "/v1/items/a%2Fb", vars: { id: "a/b" } },
    { t: "/v1/files/{path=**}", path: "/v1/files/a/b%2Fc/d", vars: { path: "a/b%2Fc/d" } },
    { t: "/v1/files/{path=**}", path: "/v1/files", vars: { path: "" } },
    { t: "/v1/static/**:download", path: "/v1/static:download", vars: {} },
    { t: "/v1/{name=shelves/*}:lookup", path: "/v1/shelves/s%3A1:lookup", vars: { name: "shelves/s:1" } },
    { t: "/v1/items/{id}", path: "/v1/items/%E0%A4%A", vars: undefined },
    { t: "/v1/items/{id}", path: "/v1/items", vars: undefined },
    { t: "/v1/items/{id}:archive", path: "/v1/items/x:other", vars: undefined },
    { t: "/v1/items/{id}:archive", path: "/v1/items/:archive", vars: undefined },
  ])("matches $path against $t", (c) => {
    const m = matchTemplate(parsePathTemplate(c.t), splitRequestPath(c.path) ?? []);
    expect(m ? Object.fromEntries(m) : undefined).toEqual(c.vars);
  });
});
