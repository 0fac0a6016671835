// The service starts on its own migrated database and serves its contract over real gRPC.
// Replace the second test as RPCs are written: each gets its tests over real gRPC, with the
// real auth service for tokens (the template's test/rpc-harness.ts shows how).
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@triphub/contracts";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { createLogger, type Database, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, createPaymentService, MIGRATIONS_FOLDER } from "../src/index.js";
import type { PaymentDb } from "../src/store/db.js";

const log = createLogger({ service: "payment-test", level: "silent" });
let database: Database;
let service: RunningService;

beforeAll(async () => {
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "payment_service" });
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
    const res = await health.check({ service: PaymentService.typeName });
    expect(res.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });

  it("has no RPC written yet", () => {
    expect(Object.keys(createPaymentService({ db: database.db as PaymentDb, now: () => new Date() }))).toEqual([]);
  });
});
