/**
 * A test platform of real services over real gRPC: the auth service with service identities,
 * and what each service under test is built with beside it. Tests only.
 */
/** Starts the real auth service on a fresh database; users, the admin and service callers come from it. */
export { type ServiceCaller, type StackUser, type StartAuthOptions, startAuth, type TestAuth } from "./auth.js";
/** The deps every service's buildServer takes in a test: auth's keys, a fresh database, the clock, its identity. */
export { type ServiceDeps, type ServiceDepsOptions, serviceDeps } from "./service-deps.js";
/** A typed client of a running service as a user or as another service. */
export { type Caller, clientAs } from "./client-as.js";
