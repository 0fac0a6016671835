// Process entry of the gateway: configuration, then the server. No logic here.
import { closeOnSignals, ConfigError, createLogger, loadTls } from "@triphub/platform";
import { type GatewayConfig, loadGatewayConfig } from "./config.js";
import { buildGateway } from "./server.js";

let config: GatewayConfig;
let tls: Awaited<ReturnType<typeof loadTls>>;
try {
  config = loadGatewayConfig(process.env);
  tls = await loadTls(config);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`gateway: ${e.message}\n`);
  process.exit(2);
}
const log = createLogger({ service: "gateway", level: config.LOG_LEVEL });
const host = await buildGateway({ config, log, tls });
closeOnSignals(host, log);
await host.listen({ port: config.PORT, host: config.HOST });
