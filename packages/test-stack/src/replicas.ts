import type { ServiceHost } from "@triphub/platform";
import { type RunningService, serve } from "@triphub/testkit";
import type { ServiceDeps } from "./service-deps.js";

/** Instances of one service on one database, as replicas run in production. */
export interface Replicas {
  /** The first instance. */
  server: RunningService;
  /** Another instance on the same database (on `port`, e.g. to restart one where it was). */
  another(port?: number): Promise<RunningService>;
  /** Stops every instance. */
  close(): Promise<void>;
}

/** Serves `build(deps)` once, and more instances on demand, each with its own database connection. */
export async function serveReplicas(build: (deps: ServiceDeps) => Promise<ServiceHost>, deps: ServiceDeps): Promise<Replicas> {
  const server = await serve(await build(deps));
  const others: RunningService[] = [];
  return {
    server,
    async another(port) {
      const s = await serve(await build({ ...deps, database: await deps.reopenDatabase() }), { port });
      others.push(s);
      return s;
    },
    close: () => Promise.all([server, ...others].map((s) => s.close())).then(() => undefined),
  };
}
