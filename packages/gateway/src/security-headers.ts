import type { FastifyInstance } from "fastify";

/**
 * HSTS for a year on every answer given over HTTPS: the gateway's own TLS, or, behind the one
 * trusted proxy (TRUST_PROXY), a request the proxy says arrived as https. Never over plain HTTP,
 * where a man in the middle could strip or forge it anyway (RFC 6797 §7.2).
 */
export function registerSecurityHeaders(app: FastifyInstance, opts: { tls: boolean; trustProxy: boolean }): void {
  app.addHook("onSend", (req, reply, payload, done) => {
    const https = opts.tls || (opts.trustProxy && req.headers["x-forwarded-proto"] === "https");
    if (https) reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
    done(null, payload);
  });
}
