// Streaming RPCs in the OpenAPI document: a streamed request body is newline-delimited JSON
// with the schema of one message, a streamed response is the NDJSON/SSE shape of server streams.
import type { DescService } from "@bufbuild/protobuf";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { buildOpenApi, type OperationObject } from "../../src/openapi/index.js";
import { createTranscoder } from "../../src/transcoder/index.js";
import { MediaService } from "../gen/transcoding/v1/media_pb.js";
import { TranscodingService } from "../gen/transcoding/v1/service_pb.js";
import { structuralProblems } from "./structure.js";

// Only the route list is needed; nothing is ever called through this transport.
const { routes } = createTranscoder({
  services: [TranscodingService as DescService, MediaService as DescService],
  transportFor: () => createGrpcTransport({ baseUrl: "http://127.0.0.1:9" }),
});
const doc = buildOpenApi({ routes, title: "Test", version: "v1", isPublic: () => false });

function op(verb: "get" | "put" | "post", path: string): OperationObject {
  const o = doc.paths[path]?.[verb];
  if (!o) throw new Error(`no ${verb} ${path}`);
  return o;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/transcoding.v1.${name}` });

describe("streaming RPCs in OpenAPI", () => {
  it("is structurally valid with them", () => {
    expect(structuralProblems(JSON.parse(JSON.stringify(doc)))).toEqual([]);
  });

  it.each([
    { what: "a client stream with `body: item`", path: "/v1/{parent}/items:upload", schema: ref("Item"), response: "application/json" },
    { what: "a client stream with `body: *`", path: "/v1/items:upload", schema: ref("Envelope"), response: "application/json" },
    { what: "a bidi stream with `body: item`", path: "/v1/{parent}/items:echo", schema: ref("Item"), response: "application/x-ndjson" },
  ])("documents $what as newline-delimited messages of the body's schema", (c) => {
    const o = op("post", c.path);
    expect(o.requestBody?.required).toBe(false);
    expect(o.requestBody?.description).toMatch(/newline-delimited JSON/);
    expect(o.requestBody?.content).toEqual({ "application/x-ndjson": { schema: c.schema } });
    expect(Object.keys(o.responses["200"].content ?? {})[0]).toBe(c.response);
  });

  it("keeps path and query parameters of a streamed request, applied to every message", () => {
    const o = op("post", "/v1/{parent}/items:upload");
    expect(o.parameters?.find((p) => p.in === "path")).toMatchObject({ name: "parent", required: true });
    expect(o.parameters?.map((p) => p.name)).toContain("revision");
    expect(o.requestBody?.description).toMatch(/Path and query parameters apply to every message/);
  });

  it("answers a client stream with one message, or its response_body field", () => {
    expect(op("post", "/v1/{parent}/items:upload").responses["200"].content).toEqual({ "application/json": { schema: ref("UploadSummary") } });
    expect(op("post", "/v1/items:uploadCount").responses["200"].content?.["application/json"].schema).toMatchObject({ type: "integer" });
  });

  it("streams a bidi stream's answers as server streams are, with its response_body field", () => {
    const res = op("post", "/v1/items:echo").responses["200"];
    expect(res.description).toMatch(/one `\{"result": \.\.\.\}` per line/);
    expect(res.content?.["application/x-ndjson"].schema).toMatchObject({ properties: { result: ref("Item") } });
    expect(res.content).toHaveProperty("text/event-stream");
  });

  it("documents a client stream of google.api.HttpBody as raw bytes, one message per chunk", () => {
    const o = op("put", "/v1/users/{user_id}/avatar:chunks");
    expect(o.requestBody?.content).toEqual({ "*/*": { schema: { type: "string", format: "binary", description: "The raw bytes." } } });
    expect(o.requestBody?.description).toMatch(/each chunk is sent on as one message/);
  });
});
