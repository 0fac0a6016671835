// Child process of the gateway benchmark: the TripHub gateway in front of one auth instance.
import { buildGateway } from "@triphub/gateway";
import { createLogger } from "@triphub/platform";

const [authUrl, protocol] = process.argv.slice(2);
const log = createLogger({ service: "bench-gateway", level: "warn" });
const host = await buildGateway({
  config: {
    UPSTREAMS: `auth=${authUrl}`,
    AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json`,
    AUTH_ISSUER: "triphub-auth",
    AUTH_AUDIENCE: "triphub",
    CORS_ORIGINS: "",
    UPSTREAM_TIMEOUT_MS: 10_000,
    UPSTREAM_PROTOCOL: protocol === "connect" ? "connect" : "grpc",
    EDGE_CACHE_TTL_MS: 0,
    PUBLIC_URL: undefined,
    TRUST_PROXY: false,
  },
  log,
});
const url = await host.listen({ port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once("SIGTERM", () => process.exit(0));
