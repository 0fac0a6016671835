import { DomainError } from "@triphub/platform/domain-error";
import { sumMinor } from "./money.js";
import type { Money } from "./money.js";
import { nightPrice } from "./night-price.js";
import type { RoomType } from "./room-type.js";
import type { Stay } from "./stay.js";

/** One stored inventory row: what the host set for a night and what is committed on it. */
export interface InventoryNight {
  night: string;
  /** Units offered that night; at most the room type's unit count. */
  unitsTotal: number;
  unitsHeld: number;
  unitsBooked: number;
  /** The host's price for the night, if any; else the base or weekend price (`nightPrice`). */
  priceOverrideMinor: number | undefined;
  minStayNights: number;
  closedToArrival: boolean;
  closedToDeparture: boolean;
}

/** The effective calendar of a room type for one night (proto `CalendarDay`). */
export interface CalendarDay {
  date: string;
  availableUnits: number;
  heldUnits: number;
  bookedUnits: number;
  /** available - held - booked, never below 0. */
  remainingUnits: number;
  price: Money;
  priceOverridden: boolean;
  /** 0 or 1: no minimum. */
  minStayNights: number;
  closedToArrival: boolean;
  closedToDeparture: boolean;
}

/**
 * The calendar of `date` from its stored row; a night nobody has configured takes the room
 * type's defaults: every unit available at its base or weekend price, no restrictions.
 */
export function calendarDay(roomType: RoomType, date: string, row: InventoryNight | undefined): CalendarDay {
  const available = row?.unitsTotal ?? roomType.unitCount;
  const held = row?.unitsHeld ?? 0;
  const booked = row?.unitsBooked ?? 0;
  const override = row?.priceOverrideMinor;
  return {
    date,
    availableUnits: available,
    heldUnits: held,
    bookedUnits: booked,
    remainingUnits: Math.max(0, available - held - booked),
    price: nightPrice(override, roomType, date),
    priceOverridden: override !== undefined,
    minStayNights: row?.minStayNights ?? 0,
    closedToArrival: row?.closedToArrival ?? false,
    closedToDeparture: row?.closedToDeparture ?? false,
  };
}

/** The calendar of every date in `dates` (in that order), from whichever rows exist. */
export function calendarDays(roomType: RoomType, dates: readonly string[], rows: readonly InventoryNight[]): CalendarDay[] {
  const byNight = new Map(rows.map((r) => [r.night, r]));
  return dates.map((d) => calendarDay(roomType, d, byNight.get(d)));
}

/** The price of one night of one unit. */
export interface NightlyPrice {
  date: string;
  price: Money;
}

/** What a stay costs (proto `StayPrice`); every amount has the room type's currency. */
export interface StayPrice {
  nights: NightlyPrice[];
  units: number;
  /** Sum of the nightly prices times units. */
  total: Money;
  /** total / (nights x units), rounded down; for display. */
  averageNightly: Money;
}

/** The price of each night of `nights` for one unit, as `calendarDay` gives it. */
export function nightlyPrices(roomType: RoomType, nights: readonly string[], calendar: readonly CalendarDay[]): NightlyPrice[] {
  const byDate = new Map(calendar.map((d) => [d.date, d]));
  return nights.map((date) => ({ date, price: (byDate.get(date) ?? calendarDay(roomType, date, undefined)).price }));
}

/** Totals nightly prices for `units` units. */
export function stayPrice(nights: readonly NightlyPrice[], units: number, currency: string): StayPrice {
  const perUnit = sumMinor(nights.map((n) => n.price.amountMinor));
  const total = sumMinor([perUnit * units]);
  const count = nights.length * units;
  return {
    nights: nights.map((n) => ({ date: n.date, price: { ...n.price } })),
    units,
    total: { amountMinor: total, currency },
    averageNightly: { amountMinor: count === 0 ? 0 : Math.floor(total / count), currency },
  };
}

/** Why a stay cannot be booked, and the first date that breaks it. */
export interface Unbookable {
  date: string;
  reason: "sold_out" | "min_stay" | "closed_to_arrival" | "closed_to_departure";
}

/**
 * The first reason, in date order, that `units` units cannot be booked for `stay`: arrival
 * rules on the first night (closed to arrival, minimum stay), then units free on every night,
 * then closed to departure on the check-out date (`departure`, the calendar of that day, if
 * known). `nights` must be the calendar of the stay's nights. Undefined: bookable.
 */
export function checkBookable(stay: Stay, nights: readonly CalendarDay[], units: number, departure?: CalendarDay): Unbookable | undefined {
  const byDate = new Map(nights.map((d) => [d.date, d]));
  const first = byDate.get(stay.checkIn);
  if (first?.closedToArrival) return { date: stay.checkIn, reason: "closed_to_arrival" };
  if (first && first.minStayNights > stay.nights.length) return { date: stay.checkIn, reason: "min_stay" };
  for (const date of stay.nights) {
    const day = byDate.get(date);
    if (day === undefined) throw new Error(`checkBookable: no calendar for ${date}`);
    if (day.remainingUnits < units) return { date, reason: "sold_out" };
  }
  if (departure?.closedToDeparture) return { date: stay.checkOut, reason: "closed_to_departure" };
  return undefined;
}

/** The FAILED_PRECONDITION a failed `checkBookable` is reported as (ErrorInfo reasons of HoldInventory). */
export function unbookableError(u: Unbookable): DomainError {
  switch (u.reason) {
    case "sold_out":
      return new DomainError("precondition", `not enough units free on the night of ${u.date}`, { reason: "ROOMS_UNAVAILABLE" });
    case "min_stay":
      return new DomainError("precondition", `a stay starting ${u.date} is shorter than its minimum stay`, { reason: "STAY_RESTRICTED" });
    case "closed_to_arrival":
      return new DomainError("precondition", `no stay may start on ${u.date}`, { reason: "STAY_RESTRICTED" });
    case "closed_to_departure":
      return new DomainError("precondition", `no stay may end on ${u.date}`, { reason: "STAY_RESTRICTED" });
    default: {
      const _x: never = u.reason;
      throw new Error(`unknown unbookable reason ${String(_x)}`);
    }
  }
}
