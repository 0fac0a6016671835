// Who may call accommodation's internal RPCs, on the service's own port: only the services the
// proto lists, proven by a service token from the real auth service.
import { randomUUID } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { HoldReleaseReason } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createServiceClient, SERVICE_TOKEN_HEADER } from "@triphub/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { host, listedProperty, type Platform, rpcError, startPlatform } from "./rpc-harness.js";

let p: Platform;
let stay: { propertyId: string; roomTypeId: string };
beforeAll(async () => {
  p = await startPlatform("acc_rpc_internal_access");
  const { property, roomType } = await listedProperty(await host(p), 2);
  stay = { propertyId: property.propertyId, roomTypeId: roomType.roomTypeId };
});
afterAll(() => p?.close());

type Api = Client<typeof AccommodationService>;
const asService = (name: string, audience = "accommodation"): Api =>
  createServiceClient(AccommodationService, p.accommodation.url, { identity: { tokens: p.identities.tokens(name, p.auth.url), audience } });

// One call of each internal RPC; each resolves when the caller may call it.
const calls: [string, (api: Api) => Promise<unknown>][] = [
  ["HoldInventory", (api) => api.holdInventory({ ...stay, reservationId: randomUUID(), checkIn: "2026-04-01", checkOut: "2026-04-02", units: 1, guests: { adults: 1 } })],
  ["ConfirmHold", (api) => api.confirmHold({ reservationId: randomUUID() }).catch(notFoundIsAllowed)],
  ["ReleaseHold", (api) => api.releaseHold({ reservationId: randomUUID(), reason: HoldReleaseReason.RESERVATION_FAILED })],
  ["GetHold", (api) => api.getHold({ reservationId: randomUUID() }).catch(notFoundIsAllowed)],
  ["StreamEvents", async (api) => {
    for await (const _ of api.streamEvents({ stopAtHead: true, batchSize: 1 })) break;
  }],
];

// NOT_FOUND means the call got past the access check to the handler.
function notFoundIsAllowed(e: unknown) {
  if ((e as { code?: Code }).code !== Code.NotFound) throw e;
}

describe.each(calls)("%s", (name, call) => {
  it("refuses a call with no credential", async () => {
    const err = await rpcError(call(p.accommodation.client(AccommodationService)));
    expect(err.code).toBe(Code.PermissionDenied);
    expect(err.rawMessage).toContain(`${name} is internal`);
  });

  it("refuses a guest's and an admin's access token", async () => {
    const guest = await p.user();
    expect((await rpcError(call(guest.api))).code).toBe(Code.PermissionDenied);
    const admin = await p.user([Role.ADMIN]);
    expect((await rpcError(call(admin.api))).code).toBe(Code.PermissionDenied);
  });

  it("refuses a service that is not on its list", async () => {
    const err = await rpcError(call(asService("payment")));
    expect(err.code).toBe(Code.PermissionDenied);
  });

  it("answers the reservation service", async () => {
    await expect(call(p.internal)).resolves.not.toThrow();
  });
});

describe("service tokens", () => {
  it("lets review, which StreamEvents lists, read the feed but not hold rooms", async () => {
    const review = asService("review");
    for await (const _ of review.streamEvents({ stopAtHead: true, batchSize: 1 })) break;
    expect((await rpcError(review.releaseHold({ reservationId: randomUUID(), reason: HoldReleaseReason.RESERVATION_FAILED }))).code).toBe(Code.PermissionDenied);
  });

  it("refuses a listed service's token issued for another service", async () => {
    const err = await rpcError(asService("reservation", "payment").releaseHold({ reservationId: randomUUID(), reason: HoldReleaseReason.RESERVATION_FAILED }));
    expect(err.code).toBe(Code.Unauthenticated);
  });

  it("refuses a forged service token", async () => {
    const forged = ["eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0", btoa(JSON.stringify({ sub: "reservation", client_id: "reservation", aud: "accommodation" })).replace(/=+$/, ""), ""].join(".");
    const api = createServiceClient(AccommodationService, p.accommodation.url, {
      interceptors: [(next) => (req) => {
        req.header.set(SERVICE_TOKEN_HEADER, forged);
        return next(req);
      }],
    });
    expect((await rpcError(api.releaseHold({ reservationId: randomUUID(), reason: HoldReleaseReason.RESERVATION_FAILED }))).code).toBe(Code.Unauthenticated);
  });

  it("never accepts a service token as a user's access token", async () => {
    const token = await p.identities.tokens("reservation", p.auth.url).tokenFor("accommodation");
    const api = p.accommodation.client(AccommodationService, token);
    expect((await rpcError(api.listMyProperties({}))).code).toBe(Code.Unauthenticated);
  });
});
