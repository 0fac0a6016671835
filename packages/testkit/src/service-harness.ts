import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { ServiceHost } from "@triphub/platform";

/** A service listening on loopback for a test, reached the way production reaches it. */
export interface RunningService {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  host: ServiceHost;
  /** A typed client over real gRPC (HTTP/2); `token` adds `Authorization: Bearer`. */
  client<T extends DescService>(service: T, token?: string): Client<T>;
  close(): Promise<void>;
}

/**
 * Starts a built service (from the service's own `buildServer()`) on a free loopback port, or
 * on `port` (a service restarted where its clients and callers know it).
 */
export async function serve(host: ServiceHost, opts: { port?: number } = {}): Promise<RunningService> {
  const url = await host.listen({ port: opts.port ?? 0, host: "127.0.0.1" });
  const transport = createGrpcTransport({ baseUrl: url });
  return {
    url,
    host,
    client: (service, token) =>
      token
        ? createClient(
            service,
            createGrpcTransport({
              baseUrl: url,
              interceptors: [(next) => (req) => {
                req.header.set("authorization", `Bearer ${token}`);
                return next(req);
              }],
            }),
          )
        : createClient(service, transport),
    close: () => host.close(),
  };
}
