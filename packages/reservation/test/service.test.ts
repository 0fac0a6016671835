// The service starts on its own migrated database and serves its contract over real gRPC.
// Replace the second test as RPCs are written: each gets its tests over real gRPC, with the
// real auth service for tokens (the template's test/rpc-harness.ts shows how).
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@triphub/contracts";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { createLogger, type Database, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, createReservationService, MIGRATIONS_FOLDER } from "../src/index.js";
import type { ReservationDb } from "../src/store/db.js";

const log = createLogger({ service: "reservation-test", level: "silent" });
let database: Database;
let service: RunningService;

beforeAll(async () => {
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "reservation_service" });
  database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 2 });
  service = await serve(
    await buildServer({
      // Nothing verifies a token before an RPC is written, so auth need not run.
      config: { AUTH_JWKS_URL: "http://127.0.0.1:9/.well-known/jwks.json", AUTH_ISSUER: "triphub-auth", AUTH_AUDIENCE: "triphub" },
      database,
      log,
    }),
  );
});
afterAll(() => service?.close());

describe("the service", () => {
  it("serves its contract", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: service.url }));
    const res = await health.check({ service: ReservationService.typeName });
    expect(res.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });

  it("has no RPC written yet", () => {
    expect(Object.keys(createReservationService({ db: database.db as ReservationDb, now: () => new Date() }))).toEqual([]);
  });
});
