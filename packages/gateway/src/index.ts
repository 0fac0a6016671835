/** The TripHub gateway, and the generic REST→RPC transcoder it is built on. */
export { type GatewayConfig, gatewayConfigSpec, loadGatewayConfig } from "./config.js";
export { buildGateway, type GatewayDeps } from "./server.js";
