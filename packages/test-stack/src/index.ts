/**
 * A test platform of real services over real gRPC: the auth service with service identities,
 * and what each service under test is built with beside it. Tests only. Services start in the
 * order they call each other and close in reverse, auth last:
 *
 * ```ts
 * const clock = testClock();
 * const auth = await startAuth({ name: "res_saga", clock });
 * const start = async (service: string, migrationsFolder: string, build: (d: ServiceDeps) => Promise<ServiceHost>) =>
 *   serve(await build(await serviceDeps(auth, { service, migrationsFolder })));
 * const accommodation = await start("accommodation", ACCOMMODATION_MIGRATIONS, buildAccommodation);
 * const payment = await start("payment", PAYMENT_MIGRATIONS, buildPayment);
 * const reservation = await start("reservation", MIGRATIONS_FOLDER, (d) =>
 *   buildServer({ ...d, config: { ...d.config, ACCOMMODATION_URL: accommodation.url, PAYMENT_URL: payment.url } }));
 * const guest = clientAs(reservation, ReservationService, await auth.signUp());
 * const saga = clientAs(accommodation, AccommodationService, auth.asService("reservation"));
 * ```
 */
/** Starts the real auth service on a fresh database; users, the admin and service callers come from it. */
export { type ServiceCaller, type StackUser, type StartAuthOptions, startAuth, type TestAuth } from "./auth.js";
/** The deps every service's buildServer takes in a test: auth's keys, a fresh database, the clock, its identity. */
export { type ServiceDeps, type ServiceDepsOptions, serviceDeps } from "./service-deps.js";
/** Instances of one service on one database (replicas), for registry and config-server tests. */
export { type Replicas, serveReplicas } from "./replicas.js";
/** A typed client of a running service as a user or as another service. */
export { type Caller, clientAs } from "./client-as.js";
