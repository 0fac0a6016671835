import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

/** Options for {@link createServiceClient}. */
export interface ServiceClientOptions {
  interceptors?: Interceptor[];
  /** Per-call deadline unless the call sets its own. */
  timeoutMs?: number;
}

/**
 * A typed client of another TripHub service over gRPC (HTTP/2), the way services call each
 * other in production. `baseUrl` is e.g. `http://127.0.0.1:7001`.
 */
export function createServiceClient<T extends DescService>(
  service: T,
  baseUrl: string,
  opts: ServiceClientOptions = {},
): Client<T> {
  const transport = createGrpcTransport({
    baseUrl,
    interceptors: opts.interceptors,
    defaultTimeoutMs: opts.timeoutMs ?? 10_000,
  });
  return createClient(service, transport);
}
