import type { SecureClientSessionOptions } from "node:http2";

/**
 * What a process presents and trusts when it calls another service over https: the platform's
 * CA (the only one a service certificate is checked against) and its own certificate and key,
 * which prove its service identity to an mTLS peer (a service's certificate serves as both).
 */
export interface ClientTls {
  ca: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

// One setting per process, as a process has one identity: every client of it, the gRPC ones,
// token and JWKS fetches and readiness probes alike, calls with it.
let processTls: ClientTls | undefined;

/**
 * Sets the process's client TLS. `configOrExit` (so `runService` and the gateway's main) sets it
 * from TLS_CA_FILE, TLS_CERT_FILE and TLS_KEY_FILE when a CA is configured; undefined clears it.
 */
export function setClientTls(tls: ClientTls | undefined): void {
  processTls = tls;
}

/** The process's client TLS (see {@link setClientTls}), if any. */
export const clientTls = (): ClientTls | undefined => processTls;

/**
 * The TLS options of a connection to `url`: for https, `tls` (default: the process's), so the
 * peer is checked against the platform's CA and sees this process's certificate; for http, or
 * without a setting, undefined (cleartext, or the system's CAs).
 */
export function clientTlsFor(url: string, tls: ClientTls | undefined = processTls): SecureClientSessionOptions | undefined {
  if (!tls || !url.startsWith("https:")) return undefined;
  return { ca: tls.ca, cert: tls.cert, key: tls.key };
}
