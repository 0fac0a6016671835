/**
 * TripHub contracts. Generated message types, schemas and service descriptors live under
 * subpaths that mirror proto/, e.g. `@triphub/contracts/triphub/auth/v1/auth_pb`.
 * This entry point only names the cross-cutting pieces. The contracts as a FileDescriptorSet
 * with their comments (which the generated code leaves out) are at the subpath
 * `@triphub/contracts/descriptors` (`readDescriptorSet()`), kept apart because it reads a file.
 */
export { http } from "./gen/google/api/annotations_pb.js";
export {
  type CallerPolicy,
  CallerPolicySchema,
  callers,
  edge,
  type EdgePolicy,
  EdgePolicySchema,
} from "./gen/triphub/options/v1/options_pb.js";
export {
  Health,
  HealthCheckRequestSchema,
  type HealthCheckResponse,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus,
} from "./gen/health/v1/health_pb.js";
