// Proto comments in /openapi.json, fetched over HTTP: from the transcoder's test contract behind
// a bare Fastify app, and from the TripHub contracts behind the real gateway.
import { readFileSync } from "node:fs";
import type { DescService } from "@bufbuild/protobuf";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { readDescriptorSet } from "@triphub/contracts/descriptors";
import { createLogger } from "@triphub/platform";
import { type RunningService, serve } from "@triphub/testkit";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../../src/index.js";
import { buildOpenApi, type DocComments, docCommentsFromDescriptorSet, type OpenApiDocument } from "../../src/openapi/index.js";
import { createTranscoder } from "../../src/transcoder/index.js";
import { TranscodingService } from "../gen/transcoding/v1/service_pb.js";
import { structuralProblems } from "./structure.js";

const testComments = docCommentsFromDescriptorSet(readFileSync(new URL("../gen/transcoding.binpb", import.meta.url)));

// Only the route list is needed; nothing is ever called through this transport.
const { routes } = createTranscoder({
  services: [TranscodingService as DescService],
  transportFor: () => createGrpcTransport({ baseUrl: "http://127.0.0.1:9" }),
});
const build = (comments?: DocComments) => buildOpenApi({ routes, title: "Test", version: "v1", isPublic: () => false, comments });

let app: FastifyInstance;
let base: string;
const fetchDoc = async (url: string): Promise<OpenApiDocument> => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as OpenApiDocument;
};

beforeAll(async () => {
  app = fastify();
  app.get("/openapi.json", async () => build(testComments));
  app.get("/plain/openapi.json", async () => build());
  base = await app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(() => app?.close());

/** The document without the keys comments may change. */
function withoutProse(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutProse);
  if (v === null || typeof v !== "object") return v;
  const entries = Object.entries(v).filter(([k]) => !["summary", "description", "x-enum-descriptions"].includes(k));
  return Object.fromEntries(entries.map(([k, x]) => [k, withoutProse(x)]));
}

describe("/openapi.json with proto comments", () => {
  it("summarises an operation with the first sentence of its RPC's comment and describes it with all of it", async () => {
    const doc = await fetchDoc(`${base}/openapi.json`);
    const getItem = doc.paths["/v1/items/{id}"]?.get;
    expect(getItem?.summary).toBe("`{field}` path variable; every other field from the query string");
    expect(getItem?.description).toBe(
      "`{field}` path variable; every other field from the query string.\n\nCalls the RPC `transcoding.v1.TranscodingService.GetItem`.",
    );
    expect(doc.paths["/v1/fail"]?.get?.summary).toBe("Fails (or succeeds after N failures, or waits) on demand");
  });

  it("describes the tag with the service's comment", async () => {
    const doc = await fetchDoc(`${base}/openapi.json`);
    expect(doc.tags).toEqual([
      {
        name: "TranscodingService",
        description: "One RPC per rule shape of google/api/http.proto, plus failure modes.\n\ngRPC service `transcoding.v1.TranscodingService`.",
      },
    ]);
  });

  it("describes a message schema and its fields, next to their validation limits", async () => {
    const item = (await fetchDoc(`${base}/openapi.json`)).components.schemas["transcoding.v1.Item"];
    expect(item.description).toBe("Every field kind a query string, a path or a body can carry.");
    expect(item.properties?.id).toEqual({ type: "string", description: "The item's id. Most rules bind it from the path." });
    expect(item.properties?.quantity).toEqual({
      type: "integer",
      format: "int32",
      minimum: 0,
      description: "A rule the chassis' validation enforces, to see buf.validate.Violations come back.",
    });
    // Undocumented fields keep what the descriptor alone says.
    expect(item.properties?.size).toEqual({ type: "string", format: "int64", pattern: "^-?[0-9]+$" });
    expect(item.properties?.blob).toEqual({ type: "string", format: "byte", description: "Base64-encoded bytes." });
  });

  it("describes path and query parameters with their fields' comments", async () => {
    const getItem = (await fetchDoc(`${base}/openapi.json`)).paths["/v1/items/{id}"]?.get;
    const param = (name: string) => getItem?.parameters?.find((p) => p.name === name);
    expect(param("id")).toEqual({ name: "id", in: "path", required: true, schema: { type: "string" }, description: "The item's id. Most rules bind it from the path." });
    expect(param("quantity")?.description).toBe("A rule the chassis' validation enforces, to see buf.validate.Violations come back.");
    expect(param("quantity")?.schema).toEqual({ type: "integer", format: "int32", minimum: 0 });
  });

  it("documents an enum and its values, without buf lint directives", async () => {
    const kind = (await fetchDoc(`${base}/openapi.json`)).components.schemas["transcoding.v1.Kind"];
    expect(kind).toEqual({
      type: "string",
      enum: ["KIND_UNSPECIFIED", "KIND_BOOK", "KIND_MAP"],
      description: "What an item is.\n\n- `KIND_BOOK`: A book: pages, bound.\n- `KIND_MAP`: A map: one folded sheet.",
      "x-enum-descriptions": ["", "A book: pages, bound.", "A map: one folded sheet."],
    });
  });

  it("changes nothing but summaries and descriptions, and stays structurally valid", async () => {
    const doc = await fetchDoc(`${base}/openapi.json`);
    expect(structuralProblems(doc)).toEqual([]);
    expect(withoutProse(doc)).toEqual(withoutProse(await fetchDoc(`${base}/plain/openapi.json`)));
  });
});

describe("/openapi.json without a comments source", () => {
  it("is the document the descriptors alone give", async () => {
    const doc = await fetchDoc(`${base}/plain/openapi.json`);
    expect(doc).toEqual(JSON.parse(JSON.stringify(build({ get: () => undefined }))));
    const getItem = doc.paths["/v1/items/{id}"]?.get;
    expect(getItem?.summary).toBe("Get Item");
    expect(getItem?.description).toBe("Calls the RPC `transcoding.v1.TranscodingService.GetItem`.");
    expect(getItem?.parameters?.[0]).toEqual({ name: "id", in: "path", required: true, schema: { type: "string" } });
    expect(doc.tags[0].description).toBe("gRPC service `transcoding.v1.TranscodingService`.");
    expect(doc.components.schemas["transcoding.v1.Item"].properties?.id).toEqual({ type: "string" });
    expect(doc.components.schemas["transcoding.v1.Kind"]).toEqual({
      type: "string",
      enum: ["KIND_UNSPECIFIED", "KIND_BOOK", "KIND_MAP"],
      description: "Enum `transcoding.v1.Kind`.",
    });
  });
});

describe("the gateway's /openapi.json", () => {
  const log = createLogger({ service: "gateway-test", level: "silent" });
  // Upstreams are never called here: the document comes from their descriptors alone.
  const gatewayWith = async (docComments?: DocComments) =>
    serve(
      await buildGateway({
        config: loadGatewayConfig({
          UPSTREAMS: "auth=http://127.0.0.1:9,reservation=http://127.0.0.1:9",
          AUTH_JWKS_URL: "http://127.0.0.1:9/.well-known/jwks.json",
          UPSTREAM_TIMEOUT_MS: "5000",
          EDGE_CACHE_TTL_MS: "0",
        }),
        log,
        verifyToken: () => Promise.reject(new Error("no tokens in this test")),
        docComments,
      }),
    );
  let documented: RunningService;
  let plain: RunningService;
  beforeAll(async () => {
    documented = await gatewayWith(docCommentsFromDescriptorSet(readDescriptorSet()));
    plain = await gatewayWith();
  });
  afterAll(async () => {
    await documented?.close();
    await plain?.close();
  });

  it("carries the contracts' comments", async () => {
    const doc = await fetchDoc(`${documented.url}/openapi.json`);
    const signUp = doc.paths["/api/v1/users"]?.post;
    expect(signUp?.summary).toBe("Creates a GUEST account and signs it in");
    expect(signUp?.description).toBe(
      "Creates a GUEST account and signs it in.\n\nCalls the RPC `triphub.auth.v1.AuthService.SignUp`. No access token needed.",
    );
    expect(doc.tags.find((t) => t.name === "AuthService")?.description).toMatch(/^Identity for TripHub: accounts, sessions/);
    const user = doc.components.schemas["triphub.auth.v1.User"];
    expect(user.description).toBe("An account.");
    expect(user.properties?.locale).toEqual({ type: "string", maxLength: 35, description: "BCP 47 language tag, e.g. ko-KR." });
    const status = doc.components.schemas["triphub.reservation.v1.ReservationStatus"];
    expect(status.description).toMatch(/^Where a reservation is in the booking saga\./);
    expect(status.description).toContain("- `RESERVATION_STATUS_ROOMS_HELD`: Rooms are held for the stay (with a TTL); payment not yet authorized.");
    expect(status["x-enum-descriptions"]).toContain("Rooms are held for the stay (with a TTL); payment not yet authorized.");
    expect(structuralProblems(doc)).toEqual([]);
  });

  it("has no proto comments when built without them", async () => {
    const doc = await fetchDoc(`${plain.url}/openapi.json`);
    expect(doc.paths["/api/v1/users"]?.post?.summary).toBe("Sign Up");
    expect(doc.components.schemas["triphub.auth.v1.User"].description).toBe("Message `triphub.auth.v1.User`.");
    expect(doc.components.schemas["triphub.auth.v1.User"].properties?.locale).toEqual({ type: "string", maxLength: 35 });
    expect(withoutProse(doc)).toEqual(withoutProse(await fetchDoc(`${documented.url}/openapi.json`)));
  });
});
