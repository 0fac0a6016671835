import { Code, ConnectError } from "@connectrpc/connect";
import { CLIENT_IP_HEADER, createServiceTokenSource, GATEWAY_SERVICE, type Logger, SERVICE_TOKEN_HEADER } from "@triphub/platform";
import type { RouteInfo } from "./transcoder/index.js";
import type { Upstream } from "./upstreams.js";

/** The metadata the gateway adds to every upstream call: its service token and the client's address. */
export interface UpstreamIdentity {
  metadataFor(route: RouteInfo, clientIp: string): Promise<[string, string][]>;
}

/**
 * How the gateway tells services who it is and whom it serves. With a client secret it sends a
 * service token for the called service and, beside it, the client address it saw; services
 * believe the address only with the gateway's token, so a per-IP limit counts clients, not the
 * gateway. Without a secret (or while auth cannot issue tokens) calls go without either, and
 * services see the gateway's own address.
 */
export function upstreamIdentity(
  config: { AUTH_TOKEN_URL?: string; SERVICE_CLIENT_SECRET?: string },
  upstreams: readonly Upstream[],
  log: Logger,
): UpstreamIdentity {
  if (!config.SERVICE_CLIENT_SECRET || !config.AUTH_TOKEN_URL) {
    log.warn("SERVICE_CLIENT_SECRET is not set: the gateway calls services without a service identity, so they see its address as every client's");
    return { metadataFor: async () => [] };
  }
  const tokens = createServiceTokenSource({ tokenUrl: config.AUTH_TOKEN_URL, clientId: GATEWAY_SERVICE, clientSecret: config.SERVICE_CLIENT_SECRET });
  const nameOf = new Map(upstreams.map((u) => [u.service.typeName, u.name]));
  let quietUntil = 0;
  return {
    async metadataFor(route, clientIp) {
      const audience = nameOf.get(route.method.parent.typeName);
      if (!audience) return [];
      try {
        return [
          [SERVICE_TOKEN_HEADER, await tokens.tokenFor(audience)],
          [CLIENT_IP_HEADER, clientIp],
        ];
      } catch (e) {
        // Public calls still work while auth is down; the service then sees the gateway's address.
        if (Date.now() >= quietUntil) {
          quietUntil = Date.now() + 10_000;
          const level = e instanceof ConnectError && e.code === Code.Unauthenticated ? "error" : "warn";
          log[level]({ err: e, audience }, "no service token: calling without the gateway's identity (repeats muted for 10 s)");
        }
        return [];
      }
    },
  };
}
