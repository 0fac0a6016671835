import type { DescMethod, DescService } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  type ContextValues,
  createMethodImplSpec,
  createServiceImplSpec,
  type MethodImpl,
  type ServiceImpl,
} from "@connectrpc/connect";
import {
  createUniversalMethodHandler,
  createUniversalServiceHandlers,
  type ProtocolHandlerFactory,
  type UniversalHandler,
  type UniversalHandlerOptions,
} from "@connectrpc/connect/protocol";
import * as connectProtocol from "@connectrpc/connect/protocol-connect";
import * as grpcProtocol from "@connectrpc/connect/protocol-grpc";
import * as grpcWebProtocol from "@connectrpc/connect/protocol-grpc-web";
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { createGrpcHandlerFactory } from "./grpc-unary.js";

/** Options of {@link connectRoutes}. */
export interface ConnectRoutesOptions extends Partial<UniversalHandlerOptions> {
  routes: (router: ConnectRouter) => void;
  contextValues: (req: FastifyRequest) => ContextValues;
}

/**
 * Serves Connect, gRPC and gRPC-Web on a Fastify instance, as `@connectrpc/connect-fastify`
 * does, with the gRPC protocol's unary calls on the chassis's own handler (grpc-unary.ts).
 * connect-fastify builds its router itself and cannot be given another protocol handler.
 * Register it as a plugin: its body parsers must not reach the app's other routes.
 */
export async function connectRoutes(app: FastifyInstance, opts: ConnectRoutesOptions): Promise<void> {
  const base = { acceptCompression: [compressionGzip, compressionBrotli], ...opts };
  const router = createRouter(base);
  opts.routes(router);
  if (router.handlers.length === 0) return;
  // The handlers read the raw body themselves; Fastify must not parse it.
  const raw = (_req: unknown, _payload: unknown, done: (err: null, body?: undefined) => void) => done(null, undefined);
  // Fastify tries names before patterns, and has its own application/json.
  app.addContentTypeParser(
    [
      connectProtocol.contentTypeUnaryJson,
      connectProtocol.contentTypeStreamJson,
      grpcProtocol.contentTypeProto,
      grpcProtocol.contentTypeJson,
      grpcWebProtocol.contentTypeProto,
      grpcWebProtocol.contentTypeJson,
    ],
    raw,
  );
  app.addContentTypeParser(connectProtocol.contentTypeRegExp, raw);
  app.addContentTypeParser(grpcProtocol.contentTypeRegExp, raw);
  app.addContentTypeParser(grpcWebProtocol.contentTypeRegExp, raw);
  for (const handler of router.handlers) {
    app.all(handler.requestPath, async (req, reply) => {
      try {
        const res = await handler(universalRequestFromNodeRequest(req.raw, reply.raw, req.body as undefined, opts.contextValues(req)));
        // Headers set on the reply (the request id) live on Fastify's object until reply.send,
        // which is never called here.
        for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) reply.raw.setHeader(k, v);
        await universalResponseToNodeResponse(res, reply.raw);
      } catch (e) {
        // Aborted: the client went away mid-response; nothing to answer.
        if (ConnectError.from(e).code !== Code.Aborted) req.log.error({ err: e, rpc: `${handler.service.typeName}/${handler.method.name}` }, "rpc handler failed");
      }
    });
  }
}

function createRouter(options: Partial<UniversalHandlerOptions>): ConnectRouter {
  const handlers: UniversalHandler[] = [];
  const baseProtocols = protocolsFor(options);
  const protocols = (extra?: Partial<UniversalHandlerOptions>) => (extra ? protocolsFor({ ...options, ...extra }) : baseProtocols);
  const router: ConnectRouter = {
    handlers,
    service<T extends DescService>(service: T, impl: Partial<ServiceImpl<T>>, extra?: Partial<UniversalHandlerOptions>) {
      handlers.push(...createUniversalServiceHandlers(createServiceImplSpec(service, impl), protocols(extra)));
      return router;
    },
    rpc<M extends DescMethod>(method: M, impl: MethodImpl<M>, extra?: Partial<UniversalHandlerOptions>) {
      handlers.push(createUniversalMethodHandler(createMethodImplSpec(method, impl), protocols(extra)));
      return router;
    },
  } as ConnectRouter;
  return router;
}

function protocolsFor(options: Partial<UniversalHandlerOptions>): ProtocolHandlerFactory[] {
  return [createGrpcHandlerFactory(options), grpcWebProtocol.createHandlerFactory(options), connectProtocol.createHandlerFactory(options)];
}
