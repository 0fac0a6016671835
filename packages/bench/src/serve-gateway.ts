// Child process of the gateway benchmark: the TripHub gateway in front of one auth instance.
import { buildGateway, loadGatewayConfig } from "@triphub/gateway";
import { createLogger } from "@triphub/platform";

const [authUrl, protocol] = process.argv.slice(2);
// Logs go to stderr: stdout carries only the JSON line the bench reads.
const log = createLogger({ service: "bench-gateway", level: "warn", destination: process.stderr });
const host = await buildGateway({
  config: loadGatewayConfig({
    UPSTREAMS: `auth=${authUrl}`,
    AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json`,
    UPSTREAM_PROTOCOL: protocol === "connect" ? "connect" : "grpc",
    EDGE_CACHE_TTL_MS: "0",
    // The load comes from one address at thousands of requests a second: what is measured is
    // the gateway's own cost, not its refusals.
    RATE_LIMITS: "off",
  }),
  log,
});
const url = await host.listen({ port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once("SIGTERM", () => process.exit(0));
