// What other packages (the devstack, tests, tools) may use. List each export by name.

/** The service's configuration, as the devstack and tests load it. */
export { type ReviewConfig, reviewConfigSpec, loadReviewConfig } from "./config.js";
/** Builds the service process; `MIGRATIONS_FOLDER` is what the chassis applies at start. */
export { type ReviewServerDeps, buildServer, MIGRATIONS_FOLDER } from "./server.js";
/** The ServiceImpl without the chassis (for in-process router tests). */
export { type ReviewServiceDeps, createReviewService } from "./service.js";
