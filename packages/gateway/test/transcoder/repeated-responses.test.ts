import { create, type DescService, type Message, toBinary } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { H2Response } from "../../src/transcoder/h2-exchange.js";
import { createTranscoder, createUpstreamTransport, type Transcoder } from "../../src/transcoder/index.js";
import { createResponseDedupe } from "../../src/transcoder/response-dedupe.js";
import { grpcUnary } from "../../src/transcoder/unary-protocols.js";
import { ItemSchema } from "../gen/transcoding/v1/messages_pb.js";
import { MediaService } from "../gen/transcoding/v1/media_pb.js";
import { TranscodingService } from "../gen/transcoding/v1/service_pb.js";
import { call, type Stack, startStack } from "./fixture.js";

// A response that comes back byte for byte (a backend's cached page) is decoded and written as
// JSON once; anything else is still decoded and written afresh. What a transcoder keeps for this
// is its own and bounded by bytes (response-dedupe.ts).

function grpcResponse(name: string): H2Response {
  const message = toBinary(ItemSchema, create(ItemSchema, { id: "i1", name }));
  const body = Buffer.alloc(5 + message.length);
  body.writeUInt32BE(message.length, 1);
  body.set(message, 5);
  return { status: 200, header: { "content-type": "application/grpc+proto" }, trailer: { "grpc-status": "0" }, body } as H2Response;
}

describe("decoding repeated responses", () => {
  it("hands out one message for the same bytes of a large response", () => {
    const dedupe = createResponseDedupe();
    const long = "x".repeat(600);
    const a = grpcUnary.decode(grpcResponse(long), ItemSchema, dedupe).message;
    const b = grpcUnary.decode(grpcResponse(long), ItemSchema, dedupe).message;
    expect(b).toBe(a);
    const c = grpcUnary.decode(grpcResponse(`${long}y`), ItemSchema, dedupe).message;
    expect(c).not.toBe(a);
    expect(c.name).toBe(`${long}y`);
    const sameLength = grpcUnary.decode(grpcResponse(`y${long.slice(1)}`), ItemSchema, dedupe).message;
    expect(sameLength.name).toBe(`y${long.slice(1)}`);
  });

  it("decodes small responses afresh, where a lookup would cost more than decoding", () => {
    const dedupe = createResponseDedupe();
    const a = grpcUnary.decode(grpcResponse("short"), ItemSchema, dedupe).message;
    const b = grpcUnary.decode(grpcResponse("short"), ItemSchema, dedupe).message;
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
    expect(dedupe.bytes).toBe(0);
  });

  it("decodes afresh without a dedupe: nothing is kept between callers", () => {
    const long = "x".repeat(600);
    const a = grpcUnary.decode(grpcResponse(long), ItemSchema).message;
    expect(grpcUnary.decode(grpcResponse(long), ItemSchema).message).not.toBe(a);
  });

  it("never keeps more bytes than its budget, and drops the least recently used first", () => {
    const maxBytes = 64 * 1024;
    const dedupe = createResponseDedupe(maxBytes);
    const hot = "h".repeat(900);
    const first = grpcUnary.decode(grpcResponse(hot), ItemSchema, dedupe).message;
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      // 512 bytes up to the largest response kept (1/16 of the budget), and some too large.
      const name = `${i}:`.padEnd(510 + (seed % (maxBytes / 16)), "z");
      grpcUnary.decode(grpcResponse(name), ItemSchema, dedupe);
      expect(dedupe.bytes).toBeLessThanOrEqual(maxBytes);
      if (i % 10 === 0) expect(grpcUnary.decode(grpcResponse(hot), ItemSchema, dedupe).message).toBe(first);
    }
    expect(dedupe.bytes).toBeGreaterThan(maxBytes / 2);
  });

  it("keeps nothing with a budget of 0", () => {
    const dedupe = createResponseDedupe(0);
    const long = "x".repeat(600);
    const a = grpcUnary.decode(grpcResponse(long), ItemSchema, dedupe).message;
    expect(grpcUnary.decode(grpcResponse(long), ItemSchema, dedupe).message).not.toBe(a);
    expect(dedupe.bytes).toBe(0);
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

describe("each transcoder's own dedupe", () => {
  let s: Stack;
  let upstream: Transport;
  beforeAll(async () => {
    s = await startStack();
    // One transport for every transcoder below: whatever they share, it is not through it.
    upstream = createUpstreamTransport({ baseUrl: s.backend });
  });
  afterAll(async () => {
    await s?.close();
  });

  // A transcoder on the shared upstream transport that records each response message it gets.
  function recordingTranscoder(responseDedupeBytes?: number): { transcoder: Transcoder; messages: Message[] } {
    const messages: Message[] = [];
    const transport: Transport = {
      async unary(method, signal, timeoutMs, header, input, contextValues) {
        const res = await upstream.unary(method, signal, timeoutMs, header, input, contextValues);
        messages.push(res.message);
        return res;
      },
      stream: (...args) => upstream.stream(...args),
    };
    const transcoder = createTranscoder({ services: [TranscodingService as DescService, MediaService as DescService], transportFor: () => transport, responseDedupeBytes });
    return { transcoder, messages };
  }
  const get = async (t: Transcoder, name: string) => {
    const res = await t.handle({ method: "GET", path: "/v1/items/big", query: `display_name=${name}`, headers: new Headers(), body: undefined });
    expect(res.status).toBe(200);
  };

  it("does not share decoded responses between two transcoders", async () => {
    const a = recordingTranscoder();
    const b = recordingTranscoder();
    const name = "s".repeat(800);
    await get(a.transcoder, name);
    await get(a.transcoder, name);
    await get(b.transcoder, name);
    await get(b.transcoder, name);
    expect(a.messages[1]).toBe(a.messages[0]);
    expect(b.messages[1]).toBe(b.messages[0]);
    expect(b.messages[0]).not.toBe(a.messages[0]);
    expect(b.messages[0]).toEqual(a.messages[0]);
  });

  it("forgets the least recently used responses beyond its byte budget", async () => {
    // 16 KiB: about twenty 800-byte responses.
    const { transcoder, messages } = recordingTranscoder(16 * 1024);
    const names = Array.from({ length: 40 }, (_, i) => `${i}-`.padEnd(800, "e"));
    for (const name of names) await get(transcoder, name);
    await get(transcoder, names[39]!);
    expect(messages.at(-1)).toBe(messages[39]);
    await get(transcoder, names[0]!);
    expect(messages.at(-1)).not.toBe(messages[0]);
    expect(messages.at(-1)).toEqual(messages[0]);
  });
});
