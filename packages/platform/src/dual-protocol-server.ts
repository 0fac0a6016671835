import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import type { FastifyServerFactory, FastifyServerFactoryHandler } from "fastify";

/** PEM material for TLS on the service port. With `ca`, clients must present a cert it signed (mTLS). */
export interface TlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  ca?: string | Buffer;
}

/**
 * A server that speaks HTTP/2 and HTTP/1.1 on one port, so gRPC clients (h2c), Connect JSON
 * over curl and browsers' gRPC-Web all reach the same Fastify app. Without TLS there is no
 * ALPN to negotiate the protocol, so we read the first bytes of each connection: only HTTP/2
 * starts with the client preface ("PRI * HTTP/2.0").
 */
export function dualProtocolServerFactory(tls?: TlsOptions): FastifyServerFactory {
  return (handler: FastifyServerFactoryHandler, options: Http1Options) => {
    if (tls) {
      const secure = http2.createSecureServer({
        ...tls,
        allowHTTP1: true,
        requestCert: tls.ca !== undefined,
        rejectUnauthorized: tls.ca !== undefined,
      });
      applyHttp1Options(secure, options);
      secure.on("request", handler as never);
      const sessions = trackSessions(secure);
      return Object.assign(secure, {
        closeHttp2Sessions: () => {
          for (const s of sessions) s.close();
        },
      }) as unknown as http.Server;
    }
    return createCleartextDualServer(handler, options) as unknown as http.Server;
  };
}

/** The options of Fastify's (already defaulted) that it sets on an HTTP/1.1 server it builds. */
interface Http1Options {
  requestTimeout?: number;
  keepAliveTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

/**
 * What Fastify does to an HTTP/1.1 server it builds itself, and skips for a server factory's:
 * without it, Node's defaults would cut every HTTP/1.1 request body after 300 s (a long upload
 * through the gateway) and close idle keep-alive connections after 5 s, where Fastify's own
 * server has no request timeout and keeps them 72 s, as HTTP/2 sessions here are.
 */
function applyHttp1Options(server: http.Server | http2.Http2SecureServer, o: Http1Options) {
  const h1 = server as http.Server;
  if (o.requestTimeout !== undefined) h1.requestTimeout = o.requestTimeout;
  if (o.keepAliveTimeout !== undefined) h1.keepAliveTimeout = o.keepAliveTimeout;
  if (o.maxRequestsPerSocket) h1.maxRequestsPerSocket = o.maxRequestsPerSocket;
  if (o.connectionTimeout) server.setTimeout(o.connectionTimeout);
}

function createCleartextDualServer(handler: FastifyServerFactoryHandler, options: Http1Options) {
  const h1 = http.createServer(handler as http.RequestListener);
  applyHttp1Options(h1, options);
  const h2 = http2.createServer(handler as never);
  const sessions = trackSessions(h2);
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first.subarray(0, 3).toString("latin1") === "PRI") {
        h2.emit("connection", socket);
      } else {
        h1.emit("connection", socket);
        socket.resume();
      }
    });
  });

  // Fastify calls these on close (when present) to stop idle keep-alive connections and to
  // send GOAWAY to HTTP/2 sessions; in-flight requests and streams finish first.
  // http.Server tracks its connections (for closeIdleConnections and timeouts) only once it
  // emits "listening"; it never listens itself here, so relay the wrapper's event.
  server.once("listening", () => h1.emit("listening"));
  // Fastify listens for clientError on the server it was given; without this relay its
  // clientErrorHandler never runs and Node answers a refused request itself, without a body.
  h1.on("clientError", (err: Error, socket: net.Socket) => {
    if (!server.emit("clientError", err, socket)) socket.destroy(err);
  });

  // net.Server#close waits for every connection to end, but HTTP/1.1 keep-alive connections
  // only become idle after their in-flight response: keep closing idle ones until all are gone.
  const close = server.close.bind(server);
  server.close = (cb?: (err?: Error) => void) => {
    const sweep = setInterval(() => h1.closeIdleConnections(), 50);
    h1.closeIdleConnections();
    return close((err?: Error) => {
      clearInterval(sweep);
      h1.close(() => {});
      cb?.(err);
    });
  };

  return Object.assign(server, {
    closeIdleConnections: () => h1.closeIdleConnections(),
    closeHttp2Sessions: () => {
      for (const s of sessions) s.close();
    },
    closeAllConnections: () => {
      for (const s of sessions) s.destroy();
      for (const s of sockets) s.destroy();
    },
  });
}

const IDLE_SESSION_MS = 72_000;

function trackSessions(server: http2.Http2Server | http2.Http2SecureServer) {
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s: http2.ServerHttp2Session) => {
    // Idle sessions would otherwise live forever (Fastify does this only for servers it builds).
    s.setTimeout(IDLE_SESSION_MS, () => s.close());
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  return sessions;
}
