import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { type ClientTls, clientTlsFor } from "./client-tls.js";
import { type BalancedTransportOptions, createBalancedTransport } from "./discovery/balanced-transport.js";
import { staticResolver } from "./discovery/instance-resolver.js";
import { type ResolvedTarget, targetOf } from "./discovery/process-discovery.js";
import { parseServiceAddress } from "./discovery/service-address.js";
import type { InstanceTransport } from "./discovery/instance-pool.js";
import { type ServiceTokenSource, serviceTokenInterceptor } from "./service-token.js";
import { tracedTransport } from "./tracing/client-spans.js";

/** Options of {@link createServiceClient}. */
export interface ServiceClientOptions {
  interceptors?: Interceptor[];
  /** Per-call deadline unless the call sets its own; with several instances, every retry fits in it. */
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
  /** How calls spread over several instances (policy, ejection, attempts); see `createBalancedTransport`. */
  balancing?: Pick<BalancedTransportOptions, "policy" | "ejection" | "maxAttempts" | "resolveTimeoutMs">;
}

/**
 * A typed client of another TripHub service over gRPC (HTTP/2), the way services call each
 * other in production. `target` is what `env.serviceUrl` accepts: a base URL, e.g.
 * `http://127.0.0.1:7001` (h2c) or `https://...` (TLS with the platform's CA and this process's
 * certificate); several comma-separated URLs, `registry:///<service>` (the instances the
 * process's registry lists) or `dns:///<host>:<port>`; or a resolver and service name. Several
 * instances share the calls through the client-side balancer (`createBalancedTransport`).
 */
export function createServiceClient<T extends DescService>(
  service: T,
  target: string | ResolvedTarget,
  opts: ServiceClientOptions = {},
): Client<T> {
  return createClient(service, tracedTransport(serviceTransport(service, target, opts)));
}

/** The transport {@link createServiceClient} calls with: one instance directly, several balanced. */
export function serviceTransport(service: DescService, target: string | ResolvedTarget, opts: ServiceClientOptions = {}): Transport {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let resolved: ResolvedTarget;
  if (typeof target === "string") {
    const address = parseServiceAddress(target);
    if (address.kind === "urls") {
      const urls = address.urls;
      // One address: nothing to balance, so the plain transport (as before there was a balancer).
      if (urls.length === 1) return instanceTransport(urls[0]!, opts);
      resolved = { resolver: staticResolver({ [service.typeName]: urls }), service: service.typeName };
    } else {
      resolved = targetOf(address);
    }
  } else {
    resolved = target;
  }
  return createBalancedTransport({
    ...opts.balancing,
    ...resolved,
    transportFor: (url) => instanceTransport(url, opts),
    defaultTimeoutMs: timeoutMs,
  });
}

// One instance over its own HTTP/2 connection, which `close` ends when the instance leaves.
function instanceTransport(baseUrl: string, opts: ServiceClientOptions): InstanceTransport {
  const identity = opts.identity ? [serviceTokenInterceptor(opts.identity.tokens, opts.identity.audience)] : [];
  const sessions = new Http2SessionManager(baseUrl, {}, clientTlsFor(baseUrl, opts.tls));
  const transport = createGrpcTransport({
    baseUrl,
    interceptors: [...identity, ...(opts.interceptors ?? [])],
    defaultTimeoutMs: opts.timeoutMs ?? 10_000,
    sessionManager: sessions,
  });
  return Object.assign(transport, { close: () => sessions.abort() });
}

export type { ResolvedTarget } from "./discovery/process-discovery.js";
