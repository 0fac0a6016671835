// Process entry of the gateway: configuration, then the server. No logic here.
import { closeOnSignals, configOrExit, createLogger } from "@triphub/platform";
import { loadGatewayConfig } from "./config.js";
import { buildGateway } from "./server.js";

const { config, tls } = await configOrExit("gateway", () => loadGatewayConfig(process.env));
const log = createLogger({ service: "gateway", level: config.LOG_LEVEL });
const host = await buildGateway({ config, log, tls });
closeOnSignals(host, log);
await host.listen({ port: config.PORT, host: config.HOST });
