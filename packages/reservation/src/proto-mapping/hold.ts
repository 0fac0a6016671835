// What accommodation's Hold tells the reservation: the rooms held and the terms snapshotted
// with them (RecordHold's content).
import type { Hold } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import type { HeldRooms } from "../domain/reservation-events.js";
import { cancellationPolicy } from "./enums.js";
import { stayPriceFromProto } from "./money.js";
import { timeFromProto } from "./time.js";

/** The held rooms a proto Hold describes. */
export function heldRoomsFromProto(h: Hold): HeldRooms {
  return {
    holdId: h.holdId,
    hostId: h.hostId,
    propertyName: h.propertyName,
    roomTypeName: h.roomTypeName,
    price: stayPriceFromProto(h.price),
    cancellationPolicy: cancellationPolicy.fromProto(h.cancellationPolicy),
    timeZone: h.timeZone,
    checkInTime: h.checkInTime,
    checkOutTime: h.checkOutTime,
    holdExpiresAt: timeFromProto(h.expireTime),
  };
}
