// Auth and registry instances over real gRPC on one fresh database: what production runs, on
// loopback. More registry instances share the first one's database, as replicas do.
import type { Client } from "@connectrpc/connect";
import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { createService, type ServiceHost } from "@triphub/platform";
import { type Caller, clientAs, type ServiceDeps, serveReplicas, serviceDeps, startAuth, type TestAuth } from "@triphub/test-stack";
import { type RunningClock, type RunningService, runningClock } from "@triphub/testkit";
import { buildServer, MIGRATIONS_FOLDER, REGISTRY_SERVICE_NAME, type RegistryServerDeps } from "../src/index.js";

/** The registry's timings for a test: quick sweeps and probes, unless a test says otherwise. */
export type Tuning = Partial<Omit<RegistryServerDeps["config"], "AUTH_JWKS_URL" | "AUTH_ISSUER" | "AUTH_AUDIENCE">>;

/** Auth and the registry; `close` stops them all. */
export interface RegistryPlatform {
  auth: TestAuth;
  /** The registry's clock: real time, which tests jump ahead to lapse leases. */
  clock: RunningClock;
  server: RunningService;
  deps: ServiceDeps;
  /** A client of the (first) registry as `caller`. */
  as(caller: Caller, server?: RunningService): Client<typeof RegistryService>;
  /** Another registry instance on the same database (on `port`, e.g. to restart one where it was). */
  another(port?: number): Promise<RunningService>;
  close(): Promise<void>;
}

/** Starts auth (system clock) and one registry on a fresh database named after the test file. */
export async function startRegistryPlatform(name: string, tuning: Tuning = {}): Promise<RegistryPlatform> {
  const auth = await startAuth({ name });
  const clock = runningClock(new Date());
  const base = await serviceDeps(auth, { service: REGISTRY_SERVICE_NAME, migrationsFolder: MIGRATIONS_FOLDER });
  // Service tokens are checked on the real time: the registry's clock runs ahead only for leases.
  const deps = { ...base, now: clock.now };
  const config = { REGISTRY_SWEEP_MS: 100, REGISTRY_PROBE_INTERVAL_MS: 200, REGISTRY_PROBE_TIMEOUT_MS: 500, REGISTRY_POLL_MS: 60_000, ...tuning };
  const build = (d: ServiceDeps) => buildServer({ ...d, now: clock.now, config: { ...d.config, ...config } });
  const replicas = await serveReplicas(build, deps);
  return {
    auth,
    clock,
    server: replicas.server,
    deps,
    as: (caller, s = replicas.server) => clientAs(s, RegistryService, caller),
    another: replicas.another,
    async close() {
      await replicas.close();
      await auth.close();
    },
  };
}

/** A process with nothing but the chassis (health, /readyz): something real for the registry to probe. */
export async function bareService(deps: ServiceDeps, name = "accommodation"): Promise<ServiceHost> {
  return createService({ name, serviceNames: [], routes: () => {}, log: deps.log });
}
