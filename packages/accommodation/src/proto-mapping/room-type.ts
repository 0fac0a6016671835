import { create } from "@bufbuild/protobuf";
import { type RoomType as ProtoRoomType, RoomTypeSchema } from "@triphub/contracts/triphub/accommodation/v1/room_type_pb";
import { invalid } from "@triphub/platform";
import type { RoomType, RoomTypeInput } from "../domain/room-type.js";
import type { RoomTypePatch } from "../domain/room-type-patch.js";
import { etagOf } from "../domain/version.js";
import { fromProtoMoney, fromProtoPhotos, toProtoMoney, toProtoPhotos, toProtoTime } from "./common.js";
import { amenities, bedTypes } from "./enums.js";

/** A room type in the contract's form, with its etag. */
export function toProtoRoomType(r: RoomType): ProtoRoomType {
  return create(RoomTypeSchema, {
    roomTypeId: r.id,
    propertyId: r.propertyId,
    name: r.name,
    description: r.description,
    maxAdults: r.maxAdults,
    maxChildren: r.maxChildren,
    beds: r.beds.map((b) => ({ type: bedTypes.toProto(b.type), count: b.count })),
    sizeSquareMeters: r.sizeSqm,
    amenities: r.amenities.map(amenities.toProto),
    unitCount: r.unitCount,
    baseNightlyPrice: toProtoMoney(r.basePrice),
    weekendNightlyPrice: r.weekendPrice && toProtoMoney(r.weekendPrice),
    photos: toProtoPhotos(r.photos),
    etag: etagOf(r),
    createTime: toProtoTime(r.createdAt),
    updateTime: toProtoTime(r.updatedAt),
  });
}

/** UpdateRoomType's new values, as sent; `applyRoomTypePatch` decides with the mask which apply. */
export function roomTypePatchFromProto(r: ProtoRoomType): RoomTypePatch {
  return {
    name: r.name,
    description: r.description,
    maxAdults: r.maxAdults,
    maxChildren: r.maxChildren,
    beds: r.beds.map((b) => ({ type: bedTypes.fromProto(b.type), count: b.count })),
    sizeSqm: r.sizeSquareMeters,
    amenities: r.amenities.map(amenities.fromProto),
    unitCount: r.unitCount,
    basePrice: r.baseNightlyPrice && fromProtoMoney(r.baseNightlyPrice, "room_type.base_nightly_price"),
    weekendPrice: r.weekendNightlyPrice && fromProtoMoney(r.weekendNightlyPrice, "room_type.weekend_nightly_price"),
    photos: fromProtoPhotos(r.photos),
  };
}

/** CreateRoomType's room type as domain input; output-only fields are ignored. */
export function roomTypeInputFromProto(r: ProtoRoomType): RoomTypeInput {
  const patch = roomTypePatchFromProto(r);
  if (!patch.basePrice) throw invalid("room_type.base_nightly_price", "is required");
  return { ...patch, name: r.name, maxAdults: r.maxAdults, unitCount: r.unitCount, basePrice: patch.basePrice };
}
