/**
 * A REST→RPC transcoder for Connect-ES with the semantics of grpc-gateway and Envoy's
 * gRPC-JSON transcoder: it reads the google.api.http rules of any annotated proto and serves
 * them as REST/JSON in front of Connect transports. The TripHub gateway is one user of it.
 */
export { httpStatusOf } from "./errors.js";
export { type FastifyTranscoderOptions, fastifyTranscoder } from "./fastify-plugin.js";
export { DEFAULT_CACHE_CONTROL } from "./http-cache.js";
export type { RouteInfo } from "./route-info.js";
export { createTranscoder, type TranscodeRequest, type TranscodeResponse, type Transcoder } from "./transcoder.js";
export { DEFAULT_FORWARD_HEADERS, type TranscoderOptions } from "./transcoder-options.js";
export { createUpstreamTransport, type UpstreamTransportOptions } from "./upstream-transport.js";
