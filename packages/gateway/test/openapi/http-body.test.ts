// google.api.HttpBody in /openapi.json: raw bytes of any content type, not the JSON schema of
// the HttpBody message, fetched over HTTP from the media test service's routes.
import type { DescService } from "@bufbuild/protobuf";
import { createGrpcTransport } from "@connectrpc/connect-node";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApi, type OpenApiDocument, type OperationObject } from "../../src/openapi/index.js";
import { createTranscoder } from "../../src/transcoder/index.js";
import { MediaService } from "../gen/transcoding/v1/media_pb.js";
import { structuralProblems } from "./structure.js";

// Only the route list is needed; nothing is ever called through this transport.
const { routes } = createTranscoder({
  services: [MediaService as DescService],
  transportFor: () => createGrpcTransport({ baseUrl: "http://127.0.0.1:9" }),
});

let app: FastifyInstance;
let doc: OpenApiDocument;
beforeAll(async () => {
  app = fastify();
  app.get("/openapi.json", async () => buildOpenApi({ routes, title: "Media", version: "v1", isPublic: () => false }));
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  doc = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDocument;
});
afterAll(() => app?.close());

function op(verb: "get" | "put" | "post", path: string): OperationObject {
  const o = doc.paths[path]?.[verb];
  if (!o) throw new Error(`no ${verb} ${path}`);
  return o;
}
const BINARY = { type: "string", format: "binary" };

describe("HttpBody in OpenAPI", () => {
  it.each([
    { what: "an HttpBody response", verb: "get", path: "/v1/users/{user_id}/avatar" },
    { what: "an HttpBody response to an HttpBody request", verb: "post", path: "/v1/raw:echo" },
    { what: "a response_body naming an HttpBody field", verb: "get", path: "/v1/users/{user_id}/thumbnail" },
    { what: "a server stream of HttpBody", verb: "get", path: "/v1/users/{user_id}/avatar:chunks" },
  ] as const)("documents $what as binary of any content type", (c) => {
    const ok = op(c.verb, c.path).responses["200"];
    expect(Object.keys(ok.content ?? {})).toEqual(["*/*"]);
    expect(ok.content?.["*/*"].schema).toMatchObject(BINARY);
  });

  it.each([
    { what: "a body field of type HttpBody", verb: "put", path: "/v1/users/{user_id}/avatar" },
    { what: "an HttpBody request with body: \"*\"", verb: "post", path: "/v1/raw:echo" },
  ] as const)("documents $what as a binary request body of any content type", (c) => {
    const body = op(c.verb, c.path).requestBody;
    expect(body?.required).toBe(true);
    expect(Object.keys(body?.content ?? {})).toEqual(["*/*"]);
    expect(body?.content["*/*"].schema).toMatchObject(BINARY);
  });

  it("keeps the other fields of an upload as path and query parameters", () => {
    expect(op("put", "/v1/users/{user_id}/avatar").parameters?.map((p) => [p.name, p.in])).toEqual([
      ["user_id", "path"],
      ["caption", "query"],
    ]);
  });

  it("says how a failing raw stream ends", () => {
    expect(op("get", "/v1/users/{user_id}/avatar:chunks").responses["200"].description).toMatch(/first message's Content-Type.*aborts the transfer/);
  });

  it("keeps JSON google.rpc.Status for errors", () => {
    expect(op("get", "/v1/users/{user_id}/avatar").responses["404"].content).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/google.rpc.Status" } },
    });
  });

  it("uses the JSON schema of HttpBody only where one travels inside JSON", () => {
    for (const [verb, path] of [
      ["get", "/v1/users/{user_id}/avatar"],
      ["post", "/v1/raw:echo"],
      ["get", "/v1/users/{user_id}/thumbnail"],
      ["get", "/v1/users/{user_id}/avatar:chunks"],
    ] as const) {
      expect(JSON.stringify(op(verb, path))).not.toContain("google.api.HttpBody");
    }
    // The upload answers with JSON (its request echoed), where the file is HttpBody's JSON form.
    const echoed = op("put", "/v1/users/{user_id}/avatar").responses["200"].content?.["application/json"].schema;
    expect(echoed).toEqual({ $ref: "#/components/schemas/transcoding.v1.UploadAvatarRequest" });
    expect(doc.components.schemas["transcoding.v1.UploadAvatarRequest"].properties?.file).toMatchObject({ $ref: "#/components/schemas/google.api.HttpBody" });
  });

  it("is a well-formed document", () => {
    expect(structuralProblems(doc)).toEqual([]);
  });
});
