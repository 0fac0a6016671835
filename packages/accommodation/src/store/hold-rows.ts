import { isCancellationPolicy } from "@triphub/platform/stay-rules";
import type { Hold, HoldReleaseReason, HoldStatus } from "../domain/hold.js";
import type { holds } from "./schema.js";

type HoldRow = typeof holds.$inferSelect;

const STATUSES: readonly HoldStatus[] = ["held", "confirmed", "released", "expired"];
const REASONS: readonly HoldReleaseReason[] = ["reservation_failed", "reservation_cancelled", "admin"];

function known<T extends string>(value: string, values: readonly T[], what: string): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw new Error(`stored ${what} ${value} is not known to this version`);
  return found;
}

/** A stored row as a domain hold. */
export function toHold(row: HoldRow): Hold {
  if (!isCancellationPolicy(row.cancellationPolicy)) throw new Error(`stored policy ${row.cancellationPolicy} is unknown`);
  return {
    holdId: row.holdId,
    reservationId: row.reservationId,
    propertyId: row.propertyId,
    roomTypeId: row.roomTypeId,
    hostId: row.hostId,
    checkIn: row.checkIn,
    checkOut: row.checkOut,
    units: row.units,
    guests: { adults: row.adults, children: row.children },
    status: known(row.status, STATUSES, "hold status"),
    price: row.price,
    cancellationPolicy: row.cancellationPolicy,
    propertyName: row.propertyName,
    roomTypeName: row.roomTypeName,
    timeZone: row.timeZone,
    checkInTime: row.checkInTime,
    checkOutTime: row.checkOutTime,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    confirmedAt: row.confirmedAt ?? undefined,
    releasedAt: row.releasedAt ?? undefined,
    releaseReason: row.releaseReason === null ? undefined : known(row.releaseReason, REASONS, "release reason"),
  };
}

/** The columns of a hold, all but the generated hold id. */
export function holdColumns(h: Omit<Hold, "holdId">): Omit<typeof holds.$inferInsert, "holdId"> {
  return {
    reservationId: h.reservationId,
    propertyId: h.propertyId,
    roomTypeId: h.roomTypeId,
    hostId: h.hostId,
    checkIn: h.checkIn,
    checkOut: h.checkOut,
    units: h.units,
    adults: h.guests.adults,
    children: h.guests.children,
    status: h.status,
    price: h.price,
    cancellationPolicy: h.cancellationPolicy,
    propertyName: h.propertyName,
    roomTypeName: h.roomTypeName,
    timeZone: h.timeZone,
    checkInTime: h.checkInTime,
    checkOutTime: h.checkOutTime,
    createdAt: h.createdAt,
    expiresAt: h.expiresAt,
    confirmedAt: h.confirmedAt ?? null,
    releasedAt: h.releasedAt ?? null,
    releaseReason: h.releaseReason ?? null,
  };
}
