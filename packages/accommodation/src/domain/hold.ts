import { DomainError } from "@triphub/platform/domain-error";
import type { StayPrice } from "./calendar.js";
import type { CancellationPolicy } from "@triphub/platform/stay-rules";

/** Lifecycle: held -> confirmed -> released (cancellation), held -> released, held -> expired. */
export type HoldStatus = "held" | "confirmed" | "released" | "expired";

/** Why a hold was released (proto `HoldReleaseReason`). */
export type HoldReleaseReason = "reservation_failed" | "reservation_cancelled" | "admin";

/** The party staying. */
export interface Guests {
  adults: number;
  children: number;
}

/**
 * Units of one room type set aside on every night of a stay for one reservation, with the
 * price and terms snapshotted at hold time (what the reservation charges and applies whatever
 * the host changes later). Addressed by `reservationId`: a reservation has at most one hold.
 */
export interface Hold {
  holdId: string;
  reservationId: string;
  propertyId: string;
  roomTypeId: string;
  /** The property's owner. */
  hostId: string;
  checkIn: string;
  checkOut: string;
  units: number;
  guests: Guests;
  status: HoldStatus;
  price: StayPrice;
  cancellationPolicy: CancellationPolicy;
  propertyName: string;
  roomTypeName: string;
  timeZone: string;
  checkInTime: string;
  checkOutTime: string;
  createdAt: Date;
  expiresAt: Date;
  confirmedAt: Date | undefined;
  releasedAt: Date | undefined;
  releaseReason: HoldReleaseReason | undefined;
}

/** Default and bounds of a hold's time to live, as HoldInventory documents them. */
export const HOLD_TTL = { defaultSeconds: 15 * 60, minSeconds: 10, maxSeconds: 3600 } as const;
/** Most units one hold may take. */
export const MAX_HOLD_UNITS = 10;

/**
 * What a transition does to the inventory of every night of the hold: nothing, move units
 * from held to booked, or give held or booked units back.
 */
export type InventoryMove = "none" | "hold_to_booked" | "release_held" | "release_booked";

/** A hold after a transition, and what the store must do to the nights' counters. */
export interface HoldChange {
  hold: Hold;
  move: InventoryMove;
}

/** True when a HELD hold's TTL has run out at `now` (whether or not the sweeper has seen it). */
export function isLapsed(hold: Hold, now: Date): boolean {
  return hold.status === "held" && hold.expiresAt.getTime() <= now.getTime();
}

/** The expiry of a hold created at `now` with `ttlSeconds` (undefined: the default 15 minutes). */
export function holdExpiry(now: Date, ttlSeconds: number | undefined): Date {
  const ttl = ttlSeconds ?? HOLD_TTL.defaultSeconds;
  if (!Number.isFinite(ttl) || ttl < HOLD_TTL.minSeconds || ttl > HOLD_TTL.maxSeconds) {
    throw new DomainError("invalid", `ttl: must be ${HOLD_TTL.minSeconds} to ${HOLD_TTL.maxSeconds} seconds`, {
      violations: [{ field: "ttl", description: `must be ${HOLD_TTL.minSeconds} to ${HOLD_TTL.maxSeconds} seconds` }],
    });
  }
  return new Date(now.getTime() + ttl * 1000);
}

const tooLate = (hold: Hold, reason: "HOLD_EXPIRED" | "HOLD_RELEASED") =>
  new DomainError("precondition", `the hold of reservation ${hold.reservationId} is ${reason === "HOLD_EXPIRED" ? "expired" : "released"}`, { reason });

/**
 * ConfirmHold: turns a live HELD hold into booked units. Idempotent for a CONFIRMED hold.
 * "precondition" HOLD_EXPIRED for an expired hold or a HELD one whose TTL has run out (the
 * sweeper will give its units back), HOLD_RELEASED for a released one.
 */
export function confirmHold(hold: Hold, now: Date): HoldChange {
  switch (hold.status) {
    case "confirmed":
      return { hold, move: "none" };
    case "held":
      if (isLapsed(hold, now)) throw tooLate(hold, "HOLD_EXPIRED");
      return { hold: { ...hold, status: "confirmed", confirmedAt: now }, move: "hold_to_booked" };
    case "expired":
      throw tooLate(hold, "HOLD_EXPIRED");
    case "released":
      throw tooLate(hold, "HOLD_RELEASED");
    default: {
      const _x: never = hold.status;
      throw new Error(`unknown hold status ${String(_x)}`);
    }
  }
}

/**
 * ReleaseHold: puts the units of a HELD hold (compensation) or a CONFIRMED one (the
 * cancellation path) back on sale. Idempotent: a RELEASED or EXPIRED hold comes back unchanged.
 */
export function releaseHold(hold: Hold, reason: HoldReleaseReason, now: Date): HoldChange {
  switch (hold.status) {
    case "held":
      return { hold: { ...hold, status: "released", releasedAt: now, releaseReason: reason }, move: "release_held" };
    case "confirmed":
      return { hold: { ...hold, status: "released", releasedAt: now, releaseReason: reason }, move: "release_booked" };
    case "released":
    case "expired":
      return { hold, move: "none" };
    default: {
      const _x: never = hold.status;
      throw new Error(`unknown hold status ${String(_x)}`);
    }
  }
}

/** The sweeper's transition: a lapsed HELD hold becomes EXPIRED and gives its units back; anything else is left alone. */
export function expireHold(hold: Hold, now: Date): HoldChange {
  if (!isLapsed(hold, now)) return { hold, move: "none" };
  return { hold: { ...hold, status: "expired", releasedAt: now }, move: "release_held" };
}

/** What a HoldInventory call asks for; compared with an existing hold for idempotency. */
export interface HoldRequest {
  reservationId: string;
  propertyId: string;
  roomTypeId: string;
  checkIn: string;
  checkOut: string;
  units: number;
  guests: Guests;
}

/**
 * Idempotency of HoldInventory: the same reservation with the same arguments gets its
 * existing hold back; with different ones it is "already_exists". A hold that was released
 * (e.g. by a compensation that overtook this call) is "precondition" HOLD_RELEASED and an
 * expired one HOLD_EXPIRED, so a late retry never passes for a live hold.
 */
export function replayHold(existing: Hold, req: HoldRequest): Hold {
  const same =
    existing.propertyId === req.propertyId &&
    existing.roomTypeId === req.roomTypeId &&
    existing.checkIn === req.checkIn &&
    existing.checkOut === req.checkOut &&
    existing.units === req.units &&
    existing.guests.adults === req.guests.adults &&
    existing.guests.children === req.guests.children;
  if (!same) {
    throw new DomainError("already_exists", `reservation ${req.reservationId} already holds different rooms or dates`);
  }
  if (existing.status === "released") throw tooLate(existing, "HOLD_RELEASED");
  if (existing.status === "expired") throw tooLate(existing, "HOLD_EXPIRED");
  return existing;
}

/** HoldInventory for a reservation that was released before it ever held anything. */
export function releasedBeforeHold(reservationId: string): DomainError {
  return new DomainError("precondition", `reservation ${reservationId} was already released`, { reason: "HOLD_RELEASED" });
}

/** HoldInventory on a property guests cannot book (not LISTED). */
export function notBookable(propertyId: string): DomainError {
  return new DomainError("precondition", `property ${propertyId} is not bookable`, { reason: "PROPERTY_NOT_BOOKABLE" });
}

/** HoldInventory for a party that does not fit in the units asked for. */
export function occupancyExceeded(units: number): DomainError {
  return new DomainError("precondition", `the party does not fit in ${units} unit(s)`, { reason: "OCCUPANCY_EXCEEDED" });
}
