// The service starts on its own migrated database and serves its contract over real gRPC.
// The RPCs' own tests (rpc-*.test.ts) run with the real auth service for tokens.
import { Code, type ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@triphub/contracts";
import { VoidReason } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { createLogger, type Database, openDatabase } from "@triphub/platform";
import { freshDatabase, type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, MIGRATIONS_FOLDER } from "../src/index.js";

const log = createLogger({ service: "payment-test", level: "silent" });
let database: Database;
let service: RunningService;

beforeAll(async () => {
  const url = await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name: "payment_service" });
  database = await openDatabase({ url, migrationsFolder: MIGRATIONS_FOLDER, log, max: 2 });
  service = await serve(
    await buildServer({
      // Anonymous calls only: no token is verified, so auth need not run.
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

  it("answers every RPC: the internal ones refuse an anonymous caller, the public ones ask for a token", async () => {
    const api = service.client(PaymentService);
    const id = "0a8f4c1e-0000-4000-8000-000000000001";
    const codes = await Promise.all([
      api.authorizePayment({}).catch((e: ConnectError) => e.code),
      api.capturePayment({ paymentId: id }).catch((e: ConnectError) => e.code),
      api.voidPayment({ paymentId: id, reason: VoidReason.ADMIN }).catch((e: ConnectError) => e.code),
      api.refundPayment({}).catch((e: ConnectError) => e.code),
      (async () => {
        for await (const _ of api.streamEvents({ stopAtHead: true })) break;
      })().catch((e: ConnectError) => e.code),
      api.getPayment({ paymentId: id }).catch((e: ConnectError) => e.code),
      api.listPayments({ reservationId: id }).catch((e: ConnectError) => e.code),
    ]);
    expect(codes).toEqual([...Array(5).fill(Code.PermissionDenied), Code.Unauthenticated, Code.Unauthenticated]);
  });
});
