import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type BodyStream, bodyStream, readBody } from "./fastify-body.js";
import { requestHeaders } from "./request-headers.js";
import type { Transcoder } from "./transcoder.js";

/** Options of {@link fastifyTranscoder}. */
export interface FastifyTranscoderOptions {
  /** Where the catch-all is mounted, e.g. `/api`; the transcoder still sees the full path. Default: everything. */
  prefix?: string;
}

/**
 * Serves a transcoder from a Fastify app. It registers a catch-all route (under `prefix`), so
 * every request that no other route claims is the transcoder's, including the 404 and 405
 * answers, which then carry google.rpc.Status bodies and `Allow`. The body reaches the
 * transcoder raw, within Fastify's bodyLimit: as bytes, or for client- and bidi-streaming
 * routes as a stream while it arrives, where the limit applies to each message. The
 * content-type parser that does this is scoped to this plugin, so the app's other routes keep
 * Fastify's parsers. Methods of `custom` rules outside Fastify's defaults are added to the app
 * (Node's HTTP parser must know them, e.g. SEARCH, PROPFIND).
 */
export function fastifyTranscoder(app: FastifyInstance, transcoder: Transcoder, opts: FastifyTranscoderOptions = {}): void {
  for (const m of new Set(transcoder.routes.map((r) => r.httpMethod))) {
    if (!app.supportedMethods.includes(m)) app.addHttpMethod(m, { hasBody: true });
  }
  const methods = [...new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", ...transcoder.routes.map((r) => r.httpMethod)])];

  app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", (req, payload, done) => {
        if (transcoder.streamsRequestBody(req.method, pathOf(req.raw.url))) done(null, payload);
        else readBody(req, payload, done);
      });
      const handler = (req: FastifyRequest, reply: FastifyReply) => handle(transcoder, req, reply);
      scope.route({ method: methods, url: "/*", handler });
      // "/*" does not match the prefix itself ("/api"); "/" under a prefix does.
      if (opts.prefix) scope.route({ method: methods, url: "/", handler });
    },
    { prefix: opts.prefix },
  );
}

const pathOf = (url = "/") => {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
};

async function handle(transcoder: Transcoder, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const url = req.raw.url ?? "/";
  const q = url.indexOf("?");
  // Cancels the upstream call when the client goes away before the response is complete.
  const gone = new AbortController();
  reply.raw.on("close", () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  let body: Uint8Array | AsyncIterable<Uint8Array> | undefined;
  let stream: BodyStream | undefined;
  if (Buffer.isBuffer(req.body)) {
    body = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength);
  } else if (req.body instanceof Readable) {
    stream = bodyStream(req.body);
    reply.raw.once("finish", stream.drain);
    body = stream.chunks;
  }
  const res = await transcoder.handle({
    method: req.method,
    path: pathOf(url),
    query: q < 0 ? "" : url.slice(q + 1),
    headers: requestHeaders(req.headers),
    body,
    bodyLimit: req.routeOptions.bodyLimit,
    signal: gone.signal,
    raw: req.raw,
  });
  reply.code(res.status);
  for (const [k, v] of res.headers) reply.header(k, v);
  // An answer that starts before the body has ended (a bad message, a bidi stream): over
  // HTTP/1.1 the connection is closed after it, as Fastify does when it answers early, since
  // the rest of the body would hold the connection until the client is done sending.
  if (stream && !stream.ended() && req.raw.httpVersionMajor === 1) reply.header("connection", "close");
  if (res.body instanceof Uint8Array) return reply.send(Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength));
  return reply.send(Readable.from(res.body, { objectMode: false }));
}
