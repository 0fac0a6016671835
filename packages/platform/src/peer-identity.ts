import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { createContextKey } from "@connectrpc/connect";
import { SERVICE_NAME } from "./service-token.js";

/** Context key of the service name an mTLS peer certificate proves (set by the chassis from the TLS socket). */
export const peerServiceKey = createContextKey<string | undefined>(undefined, { description: "mTLS peer service" });

/** The URI SAN prefix of TripHub service certificates: `spiffe://triphub/<service>`, as Istio names workloads. */
export const SERVICE_URI_PREFIX = "spiffe://triphub/";

/**
 * The service a client certificate names, when the connection is TLS and the certificate was
 * verified against the chassis's CA (mTLS); undefined otherwise. Only a URI SAN in the TripHub
 * namespace counts: a common name or DNS name says where a host is, not which service it runs.
 */
export function peerServiceOf(socket: Socket | undefined): string | undefined {
  const tls = socket as Partial<TLSSocket> | undefined;
  if (tls?.authorized !== true || typeof tls.getPeerCertificate !== "function") return undefined;
  const san = tls.getPeerCertificate().subjectaltname ?? "";
  for (const entry of san.split(",")) {
    const value = entry.trim();
    if (!value.startsWith(`URI:${SERVICE_URI_PREFIX}`)) continue;
    const name = value.slice(`URI:${SERVICE_URI_PREFIX}`.length);
    if (SERVICE_NAME.test(name)) return name;
  }
  return undefined;
}
