// What other packages (the devstack, tests, tools) may use. List each export by name.

/** The service's configuration, as the devstack and tests load it. */
export { type PaymentConfig, paymentConfigSpec, loadPaymentConfig } from "./config.js";
/** Builds the service process; `MIGRATIONS_FOLDER` is what the chassis applies at start. */
export { type PaymentServerDeps, buildServer, MIGRATIONS_FOLDER } from "./server.js";
/** The ServiceImpl without the chassis (for in-process router tests). */
export { type PaymentServiceDeps, createPaymentService } from "./service.js";
/** The provider boundary: implement `PaymentProvider` for a real provider and pass it to buildServer. */
export type { AuthorizationOutcome, CaptureOutcome, PaymentProvider, RefundOutcome } from "./domain/provider.js";
/** The built-in sandbox provider (the tokens table of payment_service.proto); buildServer's default. */
export { createSandboxProvider } from "./domain/sandbox-provider.js";
