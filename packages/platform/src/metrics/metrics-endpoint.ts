import { BlockList, isIPv4 } from "node:net";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { metricsRegistry } from "./registry.js";

/**
 * Who may read /metrics. Like /healthz it asks for no token (Prometheus scrapes pods directly),
 * but it tells an outsider a lot (routes, error rates, pool sizes):
 * - "any": every caller; for services, which only the cluster's network reaches;
 * - "private-direct": only callers on a loopback or private address that came straight to the
 *   process, not through a proxy (no forwarding header): for the edge (the gateway), whose
 *   other routes face the internet through the ingress, which always adds one. Others get 404.
 */
export type MetricsAccess = "any" | "private-direct";

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
] as const) {
  PRIVATE.addSubnet(net, bits, "ipv4");
}
PRIVATE.addAddress("::1", "ipv6");
PRIVATE.addSubnet("fc00::", 7, "ipv6");
PRIVATE.addSubnet("fe80::", 10, "ipv6");

const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip"];

/** Whether `address` (as a socket reports it, IPv4-mapped or not) is loopback or private. */
export function isPrivateAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIPv4(v4)) return PRIVATE.check(v4, "ipv4");
  return PRIVATE.check(address, "ipv6");
}

function allowed(req: FastifyRequest, access: MetricsAccess): boolean {
  if (access === "any") return true;
  if (FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined)) return false;
  return isPrivateAddress(req.socket.remoteAddress);
}

/** Serves the process's metrics at GET /metrics in Prometheus's text format. */
export function registerMetricsEndpoint(app: FastifyInstance, access: MetricsAccess): void {
  app.get("/metrics", async (req, reply) => {
    if (!allowed(req, access)) return reply.callNotFound();
    const body = await metricsRegistry.metrics();
    return reply.header("content-type", metricsRegistry.contentType).header("cache-control", "no-store").send(body);
  });
}
