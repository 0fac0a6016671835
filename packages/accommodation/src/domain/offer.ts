import { calendarDay, calendarDays, checkBookable, nightlyPrices, stayPrice } from "./calendar.js";
import type { InventoryNight, StayPrice } from "./calendar.js";
import { freeCancellationUntil, localTimeToInstant } from "@triphub/platform/stay-rules";
import type { CancellationPolicy } from "@triphub/platform/stay-rules";
import { fitsParty } from "./room-type.js";
import type { RoomType } from "./room-type.js";
import type { Stay } from "./stay.js";

/** Why a room type cannot be booked as asked (proto `OfferUnavailableReason`). */
export type OfferUnavailable = "sold_out" | "stay_restricted" | "occupancy_exceeded";

/** What a room type offers a party for a stay (proto `RoomOffer`). */
export interface RoomOffer {
  roomTypeId: string;
  roomTypeName: string;
  units: number;
  available: boolean;
  unavailableReason: OfferUnavailable | undefined;
  /** Fewest units left over the nights of the stay. */
  remainingUnits: number;
  price: StayPrice;
  freeCancellationUntil: Date | undefined;
}

/** The property terms an offer depends on. */
export interface OfferTerms {
  currency: string;
  cancellationPolicy: CancellationPolicy;
  timeZone: string;
  checkInTime: string;
}

/**
 * Prices `units` units of a room type for `stay` from its stored inventory rows (the nights
 * and the check-out day; missing nights take the defaults) with the same rules as a hold:
 * the party must fit, then `checkBookable`. Booking now (`now`) sets the free cancellation window.
 */
export function roomOffer(
  roomType: RoomType,
  stay: Stay,
  rows: readonly InventoryNight[],
  party: { adults: number; children: number; units: number },
  terms: OfferTerms,
  now: Date,
): RoomOffer {
  const days = calendarDays(roomType, stay.nights, rows);
  const departure = calendarDay(roomType, stay.checkOut, rows.find((r) => r.night === stay.checkOut));
  const unbookable = checkBookable(stay, days, party.units, departure);
  const fits = fitsParty(roomType, party.units, party);
  const reason: OfferUnavailable | undefined = !fits
    ? "occupancy_exceeded"
    : unbookable === undefined
      ? undefined
      : unbookable.reason === "sold_out"
        ? "sold_out"
        : "stay_restricted";
  const checkInAt = localTimeToInstant(stay.checkIn, terms.checkInTime || "00:00", terms.timeZone);
  return {
    roomTypeId: roomType.id,
    roomTypeName: roomType.name,
    units: party.units,
    available: reason === undefined,
    unavailableReason: reason,
    remainingUnits: Math.min(...days.map((d) => d.remainingUnits)),
    price: stayPrice(nightlyPrices(roomType, stay.nights, days), party.units, terms.currency),
    freeCancellationUntil: freeCancellationUntil(terms.cancellationPolicy, now, checkInAt),
  };
}

/** Offers as GetAccommodation lists them: available first, then by total price, then name. */
export function sortOffers(offers: readonly RoomOffer[]): RoomOffer[] {
  return [...offers].sort(
    (a, b) =>
      Number(b.available) - Number(a.available) ||
      a.price.total.amountMinor - b.price.total.amountMinor ||
      a.roomTypeName.localeCompare(b.roomTypeName) ||
      a.roomTypeId.localeCompare(b.roomTypeId),
  );
}
