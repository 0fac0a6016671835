// What other packages (the devstack, tests, tools) may use. List each export by name.

/** The service's configuration, as the devstack and tests load it. */
export { type ReservationConfig, reservationConfigSpec, loadReservationConfig } from "./config.js";
/** Builds the service process; `MIGRATIONS_FOLDER` is what the chassis applies at start. */
export { type ReservationServerDeps, buildServer, MIGRATIONS_FOLDER } from "./server.js";
/** The ServiceImpl without the chassis (for in-process router tests). */
export { type ReservationServiceDeps, createReservationService } from "./service.js";
/** Replays the event log into fresh read models (the `rebuild` script; stop the service first). */
export { rebuildReadModels } from "./store/projections.js";
