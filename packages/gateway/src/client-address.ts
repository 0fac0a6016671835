import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/**
 * The address of the client the gateway serves. Without a trusted proxy in front it is the
 * socket's peer, and X-Forwarded-For is ignored (anyone can send one). With TRUST_PROXY, one
 * proxy in front of the gateway is trusted: the address it saw is the one it appended last to
 * X-Forwarded-For; entries before it came from the client and prove nothing.
 */
export function clientAddress(raw: IncomingMessage, trustProxy: boolean): string {
  const peer = raw.socket.remoteAddress ?? "unknown";
  if (!trustProxy) return peer;
  const header = raw.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",");
  const last = hops[hops.length - 1]?.trim() ?? "";
  return isIP(last) ? last : peer;
}
