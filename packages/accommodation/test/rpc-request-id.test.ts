import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailsOf, doubleRoom, guesthouse, host, type Platform, rpcError, startPlatform } from "./rpc-harness.js";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform("acc_rpc_request_id");
});
afterAll(() => p?.close());

describe("CreateProperty with a request_id (AIP-155)", () => {
  it("answers a retry with the property the first call created", async () => {
    const owner = await host(p);
    const requestId = randomUUID();
    const first = await owner.api.createProperty({ property: guesthouse(), requestId });
    p.clock.advance(5_000);
    const retry = await owner.api.createProperty({ property: guesthouse(), requestId });
    expect(retry.property).toEqual(first.property);
    expect((await owner.api.listMyProperties({})).properties).toHaveLength(1);
  });

  it("creates one property for concurrent duplicates", async () => {
    const owner = await host(p);
    const requestId = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => owner.api.createProperty({ property: guesthouse(), requestId })));
    expect(new Set(results.map((r) => r.property!.propertyId)).size).toBe(1);
    expect((await owner.api.listMyProperties({})).properties).toHaveLength(1);
  });

  it("refuses the same request_id with a different property as INVALID_ARGUMENT", async () => {
    const owner = await host(p);
    const requestId = randomUUID();
    await owner.api.createProperty({ property: guesthouse(), requestId });
    const err = await rpcError(owner.api.createProperty({ property: guesthouse({ name: "Another Stay" }), requestId }));
    expect(detailsOf(err)).toEqual({ code: Code.InvalidArgument, reason: "REQUEST_ID_REUSED", fields: ["request_id"] });
    expect(err.rawMessage).toMatch(/already used for a different CreateProperty request/);
  });

  it("keeps request ids of different callers apart", async () => {
    const [a, b] = [await host(p), await host(p)];
    const requestId = randomUUID();
    const pa = await a.api.createProperty({ property: guesthouse(), requestId });
    const pb = await b.api.createProperty({ property: guesthouse(), requestId });
    expect(pb.property!.ownerId).toBe(b.userId);
    expect(pb.property!.propertyId).not.toBe(pa.property!.propertyId);
  });

  it("creates a new property on every call without a request_id", async () => {
    const owner = await host(p);
    await owner.api.createProperty({ property: guesthouse() });
    await owner.api.createProperty({ property: guesthouse() });
    expect((await owner.api.listMyProperties({})).properties).toHaveLength(2);
  });
});

describe("CreateRoomType with a request_id (AIP-155)", () => {
  it("answers a retry with the room type the first call created, and refuses a different one", async () => {
    const owner = await host(p);
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const propertyId = property!.propertyId;
    const requestId = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => owner.api.createRoomType({ propertyId, roomType: doubleRoom(3), requestId })));
    expect(new Set(results.map((r) => r.roomType!.roomTypeId)).size).toBe(1);
    expect((await owner.api.listRoomTypes({ propertyId })).roomTypes).toHaveLength(1);

    const other = await rpcError(owner.api.createRoomType({ propertyId, roomType: doubleRoom(4), requestId }));
    expect(detailsOf(other).reason).toBe("REQUEST_ID_REUSED");
    // The same request_id under another property is another request, not a retry.
    const { property: second } = await owner.api.createProperty({ property: guesthouse() });
    const elsewhere = await rpcError(owner.api.createRoomType({ propertyId: second!.propertyId, roomType: doubleRoom(3), requestId }));
    expect(elsewhere.code).toBe(Code.InvalidArgument);
  });
});
