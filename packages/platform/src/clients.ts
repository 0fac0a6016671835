import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { type ClientTls, clientTlsFor } from "./client-tls.js";
import { type ServiceTokenSource, serviceTokenInterceptor } from "./service-token.js";

/** Options for {@link createServiceClient}. */
export interface ServiceClientOptions {
  interceptors?: Interceptor[];
  /** Per-call deadline unless the call sets its own. */
  timeoutMs?: number;
  /**
   * Who is calling: this service's tokens, sent for `audience` (the called service's name).
   * Internal RPCs answer only the services their proto lists.
   */
  identity?: { tokens: ServiceTokenSource; audience: string };
  /**
   * For an https `baseUrl`: the CA the service's certificate must chain to and the certificate
   * this client presents (mTLS, which names the calling service by itself). Default: the
   * process's client TLS (see `setClientTls`).
   */
  tls?: ClientTls;
}

/**
 * A typed client of another TripHub service over gRPC (HTTP/2), the way services call each
 * other in production. `baseUrl` is e.g. `http://127.0.0.1:7001` (h2c), or `https://...` for TLS
 * with the platform's CA and this process's certificate.
 */
export function createServiceClient<T extends DescService>(
  service: T,
  baseUrl: string,
  opts: ServiceClientOptions = {},
): Client<T> {
  const identity = opts.identity ? [serviceTokenInterceptor(opts.identity.tokens, opts.identity.audience)] : [];
  const transport = createGrpcTransport({
    baseUrl,
    interceptors: [...identity, ...(opts.interceptors ?? [])],
    defaultTimeoutMs: opts.timeoutMs ?? 10_000,
    nodeOptions: clientTlsFor(baseUrl, opts.tls),
  });
  return createClient(service, transport);
}
