import { Amenity, PropertyType } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { BedType } from "@triphub/contracts/triphub/accommodation/v1/room_type_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { describe, expect, it } from "vitest";
import { newRoomType } from "../src/domain/room-type.js";
import { fromProtoMoney, toProtoMoney } from "../src/proto-mapping/common.js";
import { amenities, bedTypes, cancellationPolicies, type EnumMapping, propertyTypes } from "../src/proto-mapping/enums.js";
import { roomTypeInputFromProto, toProtoRoomType } from "../src/proto-mapping/room-type.js";
import { roomTypeInput, t0 } from "./fixtures.js";

const numbers = (e: Record<string, string | number>) => Object.values(e).filter((v): v is number => typeof v === "number" && v !== 0);

describe("vocabularies", () => {
  it.each<[string, EnumMapping<string, number>, Record<string, string | number>]>([
    ["amenity", amenities, Amenity],
    ["property type", propertyTypes, PropertyType],
    ["bed type", bedTypes, BedType],
    ["cancellation policy", cancellationPolicies, CancellationPolicy],
  ])("maps every %s of the contract to the domain and back", (_what, mapping, protoEnum) => {
    for (const n of numbers(protoEnum)) {
      const name = mapping.fromProto(n);
      expect(name).not.toMatch(/^unknown|^$/);
      expect(mapping.toProto(name)).toBe(n);
    }
  });

  it("reads UNSPECIFIED as unset and an unknown number as a value the domain refuses", () => {
    expect(amenities.fromProto(Amenity.UNSPECIFIED)).toBe("");
    expect(amenities.fromProto(999 as Amenity)).toBe("unknown(999)");
  });
});

describe("money", () => {
  it("round-trips int64 minor units", () => {
    const proto = toProtoMoney({ amountMinor: 100_000_000_000_000, currency: "KRW" });
    expect(proto.amountMinor).toBe(100_000_000_000_000n);
    expect(fromProtoMoney(proto, "price")).toEqual({ amountMinor: 100_000_000_000_000, currency: "KRW" });
  });

  it("refuses an amount beyond a safe integer instead of rounding it", () => {
    expect(() => fromProtoMoney({ ...toProtoMoney({ amountMinor: 0, currency: "USD" }), amountMinor: 2n ** 60n }, "price")).toThrow(/out of range/);
  });
});

describe("room types", () => {
  it.each([
    ["with a weekend price", { amountMinor: 150_000, currency: "KRW" }],
    ["without one", undefined],
  ])("round-trip %s", (_what, weekendPrice) => {
    const room = { ...newRoomType(roomTypeInput(3, { weekendPrice }), { id: "p1", currency: "KRW" }, t0), id: "r1" };
    const proto = toProtoRoomType(room);
    expect(proto.weekendNightlyPrice?.amountMinor).toBe(weekendPrice && BigInt(weekendPrice.amountMinor));
    expect(roomTypeInputFromProto(proto).weekendPrice).toEqual(weekendPrice);
  });
});
