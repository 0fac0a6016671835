import { create, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { H2Response } from "../../src/transcoder/h2-exchange.js";
import { grpcUnary } from "../../src/transcoder/unary-protocols.js";
import { ItemSchema } from "../gen/transcoding/v1/messages_pb.js";
import { call, type Stack, startStack } from "./fixture.js";

// A response that comes back byte for byte (a backend's cached page) is decoded and written as
// JSON once; anything else is still decoded and written afresh.

function grpcResponse(name: string): H2Response {
  const message = toBinary(ItemSchema, create(ItemSchema, { id: "i1", name }));
  const body = Buffer.alloc(5 + message.length);
  body.writeUInt32BE(message.length, 1);
  body.set(message, 5);
  return { status: 200, header: { "content-type": "application/grpc+proto" }, trailer: { "grpc-status": "0" }, body } as H2Response;
}

describe("decoding repeated responses", () => {
  it("hands out one message for the same bytes of a large response", () => {
    const long = "x".repeat(600);
    const a = grpcUnary.decode(grpcResponse(long), ItemSchema).message;
    const b = grpcUnary.decode(grpcResponse(long), ItemSchema).message;
    expect(b).toBe(a);
    const c = grpcUnary.decode(grpcResponse(`${long}y`), ItemSchema).message;
    expect(c).not.toBe(a);
    expect(c.name).toBe(`${long}y`);
    const sameLength = grpcUnary.decode(grpcResponse(`y${long.slice(1)}`), ItemSchema).message;
    expect(sameLength.name).toBe(`y${long.slice(1)}`);
  });

  it("decodes small responses afresh, where a lookup would cost more than decoding", () => {
    const a = grpcUnary.decode(grpcResponse("short"), ItemSchema).message;
    const b = grpcUnary.decode(grpcResponse("short"), ItemSchema).message;
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
  });
});

describe("writing repeated responses", () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("answers a repeated large response with the same JSON, and a changed one with its own", async () => {
    const name = "n".repeat(700);
    const first = await call(`${s.base}/v1/items/big?display_name=${name}`);
    const again = await call(`${s.base}/v1/items/big?display_name=${name}`);
    expect(again.json).toEqual(first.json);
    expect((first.json as { displayName: string }).displayName).toBe(name);
    const changed = await call(`${s.base}/v1/items/big?display_name=${name}z`);
    expect((changed.json as { displayName: string }).displayName).toBe(`${name}z`);
    const other = await call(`${s.base}/v1/items/other?display_name=${name}`);
    expect(other.json).toMatchObject({ id: "other", displayName: name });
  });
});
