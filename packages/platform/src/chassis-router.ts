import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { type ConnectRouter, createMethodImplSpec, createServiceImplSpec, type MethodImpl, type ServiceImpl } from "@connectrpc/connect";
import {
  createUniversalMethodHandler,
  createUniversalServiceHandlers,
  type ProtocolHandlerFactory,
  type UniversalHandlerOptions,
} from "@connectrpc/connect/protocol";
import * as connectProtocol from "@connectrpc/connect/protocol-connect";
import * as grpcWebProtocol from "@connectrpc/connect/protocol-grpc-web";
import { createGrpcHandlerFactory } from "./grpc-unary.js";

/**
 * A router that puts its handlers into `target`, the router connect-fastify serves, built with
 * the chassis's gRPC handler (grpc-unary.ts) in place of connect-node's. connect-fastify builds
 * its router itself and takes no protocol handlers; it serves whatever handlers the router
 * holds. `options` must be those the plugin is given, so both agree on limits, compression
 * and interceptors.
 */
export function chassisRouter(target: ConnectRouter, options: Partial<UniversalHandlerOptions>): ConnectRouter {
  const base = protocolsFor(options);
  const protocols = (extra?: Partial<UniversalHandlerOptions>) => (extra ? protocolsFor({ ...options, ...extra }) : base);
  const router = {
    handlers: target.handlers,
    service<T extends DescService>(service: T, impl: Partial<ServiceImpl<T>>, extra?: Partial<UniversalHandlerOptions>) {
      target.handlers.push(...createUniversalServiceHandlers(createServiceImplSpec(service, impl), protocols(extra)));
      return router;
    },
    rpc<M extends DescMethod>(method: M, impl: MethodImpl<M>, extra?: Partial<UniversalHandlerOptions>) {
      target.handlers.push(createUniversalMethodHandler(createMethodImplSpec(method, impl), protocols(extra)));
      return router;
    },
  };
  return router as ConnectRouter;
}

function protocolsFor(options: Partial<UniversalHandlerOptions>): ProtocolHandlerFactory[] {
  return [createGrpcHandlerFactory(options), grpcWebProtocol.createHandlerFactory(options), connectProtocol.createHandlerFactory(options)];
}
