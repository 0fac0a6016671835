// The TripHub gateway fills CreateReservation's request_id from the Idempotency-Key header, as
// its edge policy (`idempotency_key_field`) says. The upstream is a stand-in on the real chassis
// (gRPC on loopback, buf.validate on) that implements only CreateReservation and answers with
// the request_id it received: the gateway is what is under test.
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { createLogger, createService } from "@triphub/platform";
import { type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGateway, loadGatewayConfig } from "../src/index.js";

const log = createLogger({ service: "gateway-test", level: "silent" });
let upstream: RunningService;
let gateway: RunningService;

beforeAll(async () => {
  upstream = await serve(
    await createService({
      name: "reservation",
      serviceNames: [ReservationService.typeName],
      routes: (router) =>
        router.service(ReservationService, {
          createReservation: (req) => ({ reservation: { reservationId: "00000000-0000-4000-8000-000000000001", requestId: req.requestId } }),
        }),
      log,
    }),
  );
  gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({
        UPSTREAMS: `reservation=${upstream.url}`,
        AUTH_JWKS_URL: "http://127.0.0.1:9/.well-known/jwks.json",
        UPSTREAM_TIMEOUT_MS: "5000",
        EDGE_CACHE_TTL_MS: "0",
      }),
      log,
      verifyToken: async () => ({ userId: "11111111-1111-4111-8111-111111111111", roles: ["GUEST"] }),
    }),
  );
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const KEY = "6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5";
const booking = {
  propertyId: "22222222-2222-4222-8222-222222222222",
  roomTypeId: "33333333-3333-4333-8333-333333333333",
  checkIn: "2026-07-01",
  checkOut: "2026-07-03",
  guests: { adults: 2 },
  units: 1,
  contact: { fullName: "Ana Guest", email: "ana@example.com" },
  paymentMethodToken: "tok_visa",
};

async function reserve(body: object, headers: Record<string, string> = {}) {
  const res = await fetch(`${gateway.url}/api/v1/reservations`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer t", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("Idempotency-Key on CreateReservation", () => {
  it("fills request_id from the header, and leaves the body's own when there is none", async () => {
    const filled = await reserve(booking, { "Idempotency-Key": KEY });
    expect(filled.status, JSON.stringify(filled.json)).toBe(200);
    expect(filled.json).toMatchObject({ requestId: KEY });
    const own = await reserve({ ...booking, requestId: KEY });
    expect(own.json).toMatchObject({ requestId: KEY });
  });

  it("accepts the same value in both, and refuses different ones with 400 naming request_id", async () => {
    expect((await reserve({ ...booking, requestId: KEY }, { "idempotency-key": KEY })).status).toBe(200);
    const other = await reserve({ ...booking, requestId: KEY }, { "idempotency-key": "7a1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5" });
    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({
      code: 3,
      details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "request_id" }] }],
    });
  });

  it("refuses a header over 255 characters, and leaves the format to the service", async () => {
    const long = await reserve(booking, { "idempotency-key": "k".repeat(256) });
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({ code: 3, details: [{ fieldViolations: [{ field: "request_id", description: expect.stringMatching(/255/) }] }] });
    // Not a UUID: the gateway passes it on, and the service's buf.validate rule refuses it.
    const notUuid = await reserve(booking, { "idempotency-key": "not-a-uuid" });
    expect(notUuid.status).toBe(400);
    expect(JSON.stringify(notUuid.json)).toMatch(/request_id/);
    expect(JSON.stringify(notUuid.json)).not.toMatch(/Idempotency-Key/);
  });

  it("documents the header on POST /api/v1/reservations only", async () => {
    const doc = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    expect(doc.paths["/api/v1/reservations"]?.post?.parameters).toEqual([expect.objectContaining({ name: "Idempotency-Key", in: "header" })]);
    const headers = Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => (op.parameters ?? []).filter((p) => p.in === "header")));
    expect(headers).toHaveLength(1);
  });
});
