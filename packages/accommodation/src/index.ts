/** The accommodation service, as tests and the devstack build it. */
export { type AccommodationConfig, accommodationConfigSpec, loadAccommodationConfig } from "./config.js";
/** The background job that gives the units of lapsed holds back. */
export { createHoldSweeper, type HoldSweeper, type HoldSweeperOptions } from "./jobs/hold-sweeper.js";
/** Builds the service process; `MIGRATIONS_FOLDER` is what `openDatabase` applies at start. */
export { type AccommodationServerDeps, buildServer, MIGRATIONS_FOLDER } from "./server.js";
/** The AccommodationService implementation without the chassis (for in-process router tests). */
export { type AccommodationServiceDeps, createAccommodationService } from "./service.js";
/** Guest search as the service runs it, for tools that explain its statements (the search benchmark). */
export { createSearchStore, type SearchStore } from "./store/search/index.js";
export { parseSearch, type SearchQuery } from "./domain/search.js";
export { searchInputFromProto } from "./proto-mapping/search.js";
/** The seed catalogue's random numbers (mulberry32): the same sequence on every platform, for tools that need one. */
export { rng } from "./seed/generate.js";
/** The cities the seed catalogue puts properties in, with their share of it. */
export { type SeedCity, SEED_CITIES } from "./seed/cities.js";
