import { X509Certificate } from "node:crypto";
import { metricGauge } from "./registry.js";

const expiry = metricGauge({
  name: "triphub_tls_certificate_expiry_timestamp_seconds",
  help: "When the certificate the process serves TLS with stops being valid (its notAfter), in Unix seconds.",
  labelNames: ["certificate"],
});

/**
 * Publishes when the served certificate (the first of a PEM chain) expires, so an alert fires
 * before it does. A certificate that does not parse is left out: the server itself refuses it.
 */
export function recordCertificateExpiry(cert: string | Buffer): void {
  try {
    expiry.set({ certificate: "server" }, Math.floor(new Date(new X509Certificate(cert).validTo).getTime() / 1000));
  } catch {
    // Not a certificate: TLS will fail at listen with a clearer message than ours.
  }
}
