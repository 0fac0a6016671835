import { once } from "node:events";
import { createServer, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, encodeBinaryHeader } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { StatusSchema } from "@triphub/contracts/google/rpc/status_pb";
import { rejectionOf } from "@triphub/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { createUpstreamTransport } from "../../src/transcoder/index.js";
import { ItemSchema } from "../gen/transcoding/v1/messages_pb.js";
import { TranscodingService } from "../gen/transcoding/v1/service_pb.js";

// The slim client's wire handling against servers written on node:http2: responses the chassis
// never sends on its own (trailers-only, resets, bad framing), and how the connection is kept.

const servers: Http2Server[] = [];
afterEach(async () => {
  // The client keeps its connection open; close() alone would wait for it forever.
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r).emit("drop"));
});

/** Registers a listening server for cleanup; returns its base URL. */
async function started(server: Http2Server): Promise<string> {
  const open = new Set<Http2Session>();
  server.on("session", (s) => {
    open.add(s);
    s.on("error", () => {});
    s.on("close", () => open.delete(s));
  });
  server.on("drop", () => {
    for (const s of open) s.destroy();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
}

/** An h2c server answering each stream with `handler`. */
async function serve(handler: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void) {
  const server = createServer();
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    handler(stream, headers);
  });
  return { url: await started(server) };
}

const failure = (p: Promise<unknown>) => rejectionOf(p, ConnectError);

const envelope = (bytes: Uint8Array, flags = 0) => {
  const out = Buffer.alloc(5 + bytes.length);
  out[0] = flags;
  out.writeUInt32BE(bytes.length, 1);
  out.set(bytes, 5);
  return out;
};
const item = toBinary(ItemSchema, create(ItemSchema, { id: "ok" }));
const grpcOk = { ":status": 200, "content-type": "application/grpc+proto" };

const clientOf = (url: string) => createClient(TranscodingService, createUpstreamTransport({ baseUrl: url }));

describe("createUpstreamTransport on the wire (gRPC)", () => {
  it("reads an error from a trailers-only response, details included", async () => {
    const status = create(StatusSchema, {
      code: Code.NotFound,
      message: "no such item",
      details: [anyPack(ErrorInfoSchema, create(ErrorInfoSchema, { reason: "GONE" }))],
    });
    const { url } = await serve((stream) =>
      stream.respond(
        { ...grpcOk, "grpc-status": "5", "grpc-message": "no%20such%20item", "grpc-status-details-bin": encodeBinaryHeader(status, StatusSchema), "x-request-id": "r1" },
        { endStream: true },
      ),
    );
    const err = await failure(clientOf(url).getItem({ id: "x" }));
    expect([err.code, err.rawMessage, err.metadata.get("x-request-id")]).toEqual([Code.NotFound, "no such item", "r1"]);
    expect(err.findDetails(ErrorInfoSchema)[0]?.reason).toBe("GONE");
  });

  it("reads grpc-message percent-encoded from trailers, with headers kept as metadata", async () => {
    const { url } = await serve((stream) => {
      stream.respond({ ...grpcOk, "x-request-id": "r2" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "9", "grpc-message": "caf%C3%A9 closed" }));
      stream.end();
    });
    const err = await failure(clientOf(url).getItem({ id: "x" }));
    expect([err.code, err.rawMessage, err.metadata.get("x-request-id")]).toEqual([Code.FailedPrecondition, "café closed", "r2"]);
  });

  it.each([
    { what: "a response without grpc-status", trailers: {}, body: envelope(item), code: Code.Internal },
    { what: "two messages for a unary call", trailers: { "grpc-status": "0" }, body: Buffer.concat([envelope(item), envelope(item)]), code: Code.Unimplemented },
    { what: "a truncated envelope", trailers: { "grpc-status": "0" }, body: envelope(item).subarray(0, 6), code: Code.Internal },
    { what: "a compressed message it did not ask for", trailers: { "grpc-status": "0" }, body: envelope(item, 1), code: Code.Internal },
    { what: "no message with status OK", trailers: { "grpc-status": "0" }, body: Buffer.alloc(0), code: Code.Unimplemented },
  ])("refuses $what", async (c) => {
    const { url } = await serve((stream) => {
      stream.respond(grpcOk, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers(c.trailers));
      stream.end(c.body);
    });
    expect((await failure(clientOf(url).getItem({ id: "x" }))).code).toBe(c.code);
  });

  it.each([
    { status: 503, code: Code.Unavailable },
    { status: 404, code: Code.Unimplemented },
    { status: 401, code: Code.Unauthenticated },
  ])("maps HTTP $status from a proxy to $code", async (c) => {
    const { url } = await serve((stream) => stream.respond({ ":status": c.status, "content-type": "text/plain" }, { endStream: true }));
    expect((await failure(clientOf(url).getItem({ id: "x" }))).code).toBe(c.code);
  });

  it("maps RST_STREAM REFUSED_STREAM to UNAVAILABLE", async () => {
    const { url } = await serve((stream) => stream.close(7));
    expect((await failure(clientOf(url).getItem({ id: "x" }))).code).toBe(Code.Unavailable);
  });

  it("sends the deadline as grpc-timeout and metadata as headers", async () => {
    let seen: IncomingHttpHeaders = {};
    const { url } = await serve((stream, headers) => {
      seen = headers;
      stream.respond({ ...grpcOk }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(envelope(item));
    });
    const res = await clientOf(url).getItem({ id: "x" }, { timeoutMs: 1500, headers: { authorization: "Bearer t", "content-type": "text/evil" } });
    expect(res.id).toBe("ok");
    expect(seen).toMatchObject({ ":path": "/transcoding.v1.TranscodingService/GetItem", "grpc-timeout": "1500m", te: "trailers", authorization: "Bearer t", "content-type": "application/grpc+proto" });
  });
});

describe("createUpstreamTransport's connection", () => {
  /** A real Connect server (connect-node's adapter on node:http2), counting its connections. */
  async function connectServer() {
    const server = createServer(connectNodeAdapter({ routes: (router) => router.service(TranscodingService, { getItem: (req) => req }) }));
    const sessions: Http2Session[] = [];
    server.on("session", (s) => sessions.push(s));
    return { url: await started(server), sessions };
  }

  it.each(["grpc", "connect"] as const)("reuses one HTTP/2 connection for sequential and concurrent calls (%s)", async (protocol) => {
    const { url, sessions } = await connectServer();
    const client = createClient(TranscodingService, createUpstreamTransport({ baseUrl: url, protocol }));
    for (let i = 0; i < 5; i++) expect((await client.getItem({ id: `s${i}` })).id).toBe(`s${i}`);
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => client.getItem({ id: `c${i}` }).then((r) => r.id)));
    expect(ids).toHaveLength(50);
    expect(sessions).toHaveLength(1);
  });

  it("opens a new connection after the backend closed the old one", async () => {
    const { url, sessions } = await connectServer();
    const client = createClient(TranscodingService, createUpstreamTransport({ baseUrl: url }));
    expect((await client.getItem({ id: "1" })).id).toBe("1");
    sessions[0]!.close();
    await once(sessions[0]!, "close");
    expect((await client.getItem({ id: "2" })).id).toBe("2");
    expect(sessions).toHaveLength(2);
  });
});
