// The service over real gRPC on a fresh database, with the real auth service beside it for
// users' tokens: what production runs, on loopback. To test calls between services, start
// each one the same way beside the one auth (packages/test-stack says how).
import type { Client } from "@connectrpc/connect";
import { ExampleService } from "@triphub/contracts/triphub/example/v1/example_service_pb";
import { clientAs, serviceDeps, startAuth } from "@triphub/test-stack";
import { type RunningService, serve, type TestClock, testClock } from "@triphub/testkit";
import { buildServer, MIGRATIONS_FOLDER } from "../src/index.js";

/** A signed-in user: their id and a client of the service carrying their token. */
export interface TestUser {
  userId: string;
  api: Client<typeof ExampleService>;
}

/** Auth and the service, started together; `close` stops both. */
export interface Platform {
  service: RunningService;
  /** The one clock of auth, the service and the token verifier. */
  clock: TestClock;
  /** A new GUEST account, signed in. */
  user(): Promise<TestUser>;
  close(): Promise<void>;
}

/** Starts auth and the service on fresh databases named after the test file (`name`). */
export async function startPlatform(name: string): Promise<Platform> {
  const clock = testClock();
  // The service gets an identity with auth even before the platform's SERVICE_NAMES lists it.
  const auth = await startAuth({ name, clock, services: ["example"] });
  const service = await serve(await buildServer(await serviceDeps(auth, { service: "example", migrationsFolder: MIGRATIONS_FOLDER })));
  return {
    service,
    clock,
    async user() {
      const user = await auth.signUp();
      return { userId: user.userId, api: clientAs(service, ExampleService, user) };
    },
    async close() {
      await service.close();
      await auth.close();
    },
  };
}
