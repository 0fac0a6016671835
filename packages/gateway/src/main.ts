// Process entry of the gateway: configuration, then the server. No logic here.
import { readDescriptorSet } from "@triphub/contracts/descriptors";
import { closeOnSignals, configOrExit, createLogger } from "@triphub/platform";
import { loadGatewayConfig } from "./config.js";
import { docCommentsFromDescriptorSet } from "./openapi/index.js";
import { buildGateway } from "./server.js";

const { config, tls } = await configOrExit("gateway", () => loadGatewayConfig(process.env));
const log = createLogger({ service: "gateway", level: config.LOG_LEVEL });
// The contracts' comments document /openapi.json; a missing file (no `pnpm generate`) fails here.
const docComments = docCommentsFromDescriptorSet(readDescriptorSet());
const host = await buildGateway({ config, log, tls, docComments });
closeOnSignals(host, log);
await host.listen({ port: config.PORT, host: config.HOST });
