// Process entry of the gateway: configuration, then the server. No logic here.
import { readDescriptorSet } from "@triphub/contracts/descriptors";
import { closeOnSignals, configOrExit, createLogger, discoveryFromEnv, liveConfigFromEnv, registeredHostFromEnv, tracingOrExit } from "@triphub/platform";
import { loadGatewayConfig } from "./config.js";
import { docCommentsFromDescriptorSet } from "./openapi/index.js";
import { buildGateway } from "./server.js";

const { config, tls } = await configOrExit("gateway", () => loadGatewayConfig(process.env));
const log = createLogger({ service: "gateway", level: config.LOG_LEVEL });
// Before the gateway is built: the chassis decides at build time whether to trace.
const tracing = tracingOrExit("gateway", process.env, log);
// The contracts' comments document /openapi.json; a missing file (no `pnpm generate`) fails here.
const docComments = docCommentsFromDescriptorSet(readDescriptorSet());
// With CONFIG_URL: the central configuration, applied before the first request (log level,
// rate-limit quotas) and followed from then on.
const liveConfig = await liveConfigFromEnv("gateway", config, log);
// With REGISTRY_URL: UPSTREAMS entries `registry:///<service>` resolve through it.
const discovery = discoveryFromEnv("gateway", config, log);
const built = await buildGateway({ config, log, tls, docComments, liveConfig });
// The last spans are exported after the gateway has drained, before the process exits.
const traced = { ...built, close: () => built.close().finally(() => discovery.close()).finally(() => tracing?.shutdown()) };
// With REGISTRY_URL: registered once ready, deregistered before the drain on SIGTERM.
const host = registeredHostFromEnv("gateway", traced, config, log);
closeOnSignals(host, log);
await host.listen({ port: config.PORT, host: config.HOST });
