// Auth and config server instances over real gRPC on one fresh database: what production runs,
// on loopback. More instances share the first one's database, as replicas do.
import type { Client } from "@connectrpc/connect";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import { type Caller, clientAs, type ServiceDeps, serveReplicas, serviceDeps, startAuth, type TestAuth } from "@triphub/test-stack";
import type { RunningService } from "@triphub/testkit";
import { buildServer, CONFIG_SERVER_NAME, MIGRATIONS_FOLDER } from "../src/index.js";

/** Auth and the config server; `close` stops them all. */
export interface ConfigPlatform {
  auth: TestAuth;
  server: RunningService;
  /** A client of the (first) config server as `caller`. */
  as(caller: Caller, server?: RunningService): Client<typeof ConfigService>;
  /** Another config server instance on the same database (on `port`, e.g. to restart it where it was). */
  another(port?: number): Promise<RunningService>;
  close(): Promise<void>;
}

/** Starts auth (system clock: services' tokens are checked on real time) and one config server. */
export async function startConfigPlatform(name: string, opts: { pollMs?: number } = {}): Promise<ConfigPlatform> {
  const auth = await startAuth({ name });
  const deps = await serviceDeps(auth, { service: CONFIG_SERVER_NAME, migrationsFolder: MIGRATIONS_FOLDER });
  const build = (d: ServiceDeps) => buildServer({ ...d, config: { ...d.config, CONFIG_POLL_MS: opts.pollMs ?? 60_000 } });
  const replicas = await serveReplicas(build, deps);
  return {
    auth,
    server: replicas.server,
    as: (caller, s = replicas.server) => clientAs(s, ConfigService, caller),
    another: replicas.another,
    async close() {
      await replicas.close();
      await auth.close();
    },
  };
}
