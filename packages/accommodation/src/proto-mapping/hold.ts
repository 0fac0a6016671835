import { create } from "@bufbuild/protobuf";
import { type Hold as ProtoHold, type HoldInventoryRequest, HoldSchema } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { invalid } from "@triphub/platform";
import type { Hold } from "../domain/hold.js";
import type { HoldInventoryInput } from "../store/hold-store.js";
import { toProtoStayPrice, toProtoTime } from "./common.js";
import { cancellationPolicies, holdStatusToProto, releaseReasonToProto } from "./enums.js";

/** A hold in the contract's form. */
export function toProtoHold(h: Hold): ProtoHold {
  return create(HoldSchema, {
    holdId: h.holdId,
    reservationId: h.reservationId,
    propertyId: h.propertyId,
    roomTypeId: h.roomTypeId,
    hostId: h.hostId,
    checkIn: h.checkIn,
    checkOut: h.checkOut,
    units: h.units,
    guests: { adults: h.guests.adults, children: h.guests.children },
    status: holdStatusToProto(h.status),
    price: toProtoStayPrice(h.price),
    cancellationPolicy: cancellationPolicies.toProto(h.cancellationPolicy),
    propertyName: h.propertyName,
    roomTypeName: h.roomTypeName,
    timeZone: h.timeZone,
    checkInTime: h.checkInTime,
    checkOutTime: h.checkOutTime,
    createTime: toProtoTime(h.createdAt),
    expireTime: toProtoTime(h.expiresAt),
    confirmTime: toProtoTime(h.confirmedAt),
    releaseTime: toProtoTime(h.releasedAt),
    releaseReason: releaseReasonToProto(h.releaseReason),
  });
}

/** A HoldInventory call as the hold store takes it; an unset ttl means the default. */
export function holdInputFromProto(req: HoldInventoryRequest): HoldInventoryInput {
  if (!req.guests) throw invalid("guests", "is required");
  return {
    reservationId: req.reservationId,
    propertyId: req.propertyId,
    roomTypeId: req.roomTypeId,
    checkIn: req.checkIn,
    checkOut: req.checkOut,
    units: req.units,
    guests: { adults: req.guests.adults, children: req.guests.children },
    ttlSeconds: req.ttl && Number(req.ttl.seconds) + req.ttl.nanos / 1e9,
  };
}
