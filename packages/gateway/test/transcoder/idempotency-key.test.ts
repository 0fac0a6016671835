import type { DescService } from "@bufbuild/protobuf";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTranscoder, type RouteInfo } from "../../src/transcoder/index.js";
import { TranscodingService } from "../gen/transcoding/v1/service_pb.js";
import { call, type Stack, startStack } from "./fixture.js";

// The Idempotency-Key header fills the request field the transcoder is told of, per route. The
// echo service returns the request it got, so each test reads back what was bound.

const keyFields: Record<string, string> = { CreateItem: "display_name", UploadItems: "parent" };
const keyFieldOf = (route: RouteInfo) => keyFields[route.method.name];

let s: Stack;
beforeAll(async () => {
  s = await startStack({ idempotencyKeyField: keyFieldOf });
});
afterAll(async () => {
  await s?.close();
});

const create = (body: unknown, headers: Record<string, string> = {}) =>
  call(`${s.base}/v1/shelves/s1/items`, { method: "POST", headers, body: JSON.stringify(body) });

type Status = { code: number; message: string; details: { "@type": string; fieldViolations?: { field: string; description: string }[] }[] };

describe("Idempotency-Key", () => {
  it("fills the field when the request leaves it empty", async () => {
    const r = await create({ quantity: 1 }, { "idempotency-key": "key-0001" });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ name: "s1", displayName: "key-0001", quantity: 1 });
    // Without the header, or with an empty one, the request goes as it came.
    expect((await create({ displayName: "own" })).json).toMatchObject({ displayName: "own" });
    expect((await create({}, { "idempotency-key": "" })).json).toMatchObject({ displayName: "" });
  });

  it("reads the header by any case, and the draft's quoted form", async () => {
    const upper = await create({}, { "IDEMPOTENCY-KEY": "key-0002" });
    expect(upper.json).toMatchObject({ displayName: "key-0002" });
    const quoted = await create({}, { "Idempotency-Key": '"key-\\"3\\""' });
    expect(quoted.json).toMatchObject({ displayName: 'key-"3"' });
  });

  it("accepts a field set to the same value, and refuses another with 400 and a field violation", async () => {
    const same = await create({ displayName: "key-0004" }, { "idempotency-key": "key-0004" });
    expect(same.status, same.text).toBe(200);
    expect(same.json).toMatchObject({ displayName: "key-0004" });
    const r = await create({ display_name: "body-id" }, { "idempotency-key": "header-id" });
    expect(r.status).toBe(400);
    const body = r.json as Status;
    expect(body.code).toBe(3);
    expect(body.message).toMatch(/^display_name: differs from the Idempotency-Key header/);
    expect(body.details).toEqual([
      {
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        fieldViolations: [{ field: "display_name", description: expect.stringMatching(/Idempotency-Key/) }],
      },
    ]);
  });

  it("refuses a header longer than 255 characters with 400", async () => {
    const ok = await create({}, { "idempotency-key": "k".repeat(255) });
    expect(ok.status, ok.text).toBe(200);
    const r = await create({}, { "idempotency-key": "k".repeat(256) });
    expect(r.status).toBe(400);
    const body = r.json as Status;
    expect(body.code).toBe(3);
    expect(body.details[0]?.fieldViolations).toEqual([{ field: "display_name", description: expect.stringMatching(/at most 255 characters/) }]);
  });

  it("fills every message of a client stream", async () => {
    const body = '{"item":{"id":"a"}}\n{"item":{"id":"b"},"parent":"key-0006"}\n';
    const r = await call(`${s.base}/v1/items:upload`, { method: "POST", headers: { "content-type": "application/x-ndjson", "idempotency-key": "key-0006" }, body });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ count: 2, received: [{ parent: "key-0006" }, { parent: "key-0006" }] });
  });

  it("names the field in the route list", () => {
    const route = s.transcoder.routes.find((r) => r.method.name === "CreateItem");
    expect(route?.idempotencyKeyField).toBe("display_name");
    expect(s.transcoder.routes.find((r) => r.method.name === "GetItem")?.idempotencyKeyField).toBeUndefined();
  });

  it("leaves routes without a key field alone", async () => {
    const r = await call(`${s.base}/v1/items/i1:archive`, { method: "POST", headers: { "idempotency-key": "key-0005" }, body: '{"displayName":"other"}' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ id: "i1", displayName: "other" });
    // The same request on a route with the field is refused: the header was read there.
    expect((await create({ displayName: "other" }, { "idempotency-key": "key-0005" })).status).toBe(400);
  });
});

describe("an idempotency key field that cannot take the header", () => {
  it.each([
    { what: "an unknown field", field: "nope", error: /CreateItem: idempotency key field "nope" not found in transcoding\.v1\.Item/ },
    { what: "a JSON name", field: "displayName", error: /"displayName" not found/ },
    { what: "a nested field", field: "inner.label", error: /"inner\.label" not found/ },
    { what: "a message field", field: "inner", error: /"inner" of transcoding\.v1\.Item must be a singular string field/ },
    { what: "a repeated string", field: "tags", error: /"tags" .* must be a singular string field/ },
    { what: "a number", field: "size", error: /"size" .* must be a singular string field/ },
    { what: "a wrapper", field: "note", error: /"note" .* must be a singular string field/ },
  ])("refuses $what at start", ({ field, error }) => {
    const build = () =>
      createTranscoder({
        services: [TranscodingService as DescService],
        transportFor: () => createGrpcTransport({ baseUrl: "http://127.0.0.1:9" }),
        idempotencyKeyField: (route) => (route.method.name === "CreateItem" ? field : undefined),
      });
    expect(build).toThrow(error);
  });
});
