import { DomainError } from "@triphub/platform/domain-error";
import { datesBetween, daysBetween, isCalendarDate, isoWeekday } from "./dates.js";
import { isNightlyAmount } from "./money.js";
import type { Money } from "./money.js";
import type { InventoryNight } from "./calendar.js";
import { violations } from "./validation.js";

/** The most nights GetCalendar and UpdateCalendar cover in one call. */
export const MAX_CALENDAR_NIGHTS = 366;

/** Update-mask paths of UpdateCalendar. */
export const CALENDAR_PATHS = ["available_units", "price_override", "min_stay_nights", "closed_to_arrival", "closed_to_departure"] as const;

/** The values UpdateCalendar writes (proto `CalendarDaySettings`); the mask picks which. */
export interface CalendarSettings {
  availableUnits?: number;
  /** Unset with "price_override" in the mask removes the override. */
  priceOverride?: Money;
  minStayNights?: number;
  closedToArrival?: boolean;
  closedToDeparture?: boolean;
}

/** An UpdateCalendar as the caller sent it. */
export interface CalendarUpdateRequest {
  startDate: string;
  /** Exclusive. */
  endDate: string;
  /** ISO weekdays (1 = Monday ... 7 = Sunday) to limit the update to; empty: every night. */
  weekdays: readonly number[];
  settings: CalendarSettings;
  mask: readonly string[];
}

/** A checked calendar update: exactly the masked columns, ready for one bulk upsert. */
export interface CalendarUpdate {
  startDate: string;
  endDate: string;
  weekdays: number[];
  set: {
    availableUnits?: number;
    /** null removes the override. */
    priceOverrideMinor?: number | null;
    minStayNights?: number;
    closedToArrival?: boolean;
    closedToDeparture?: boolean;
  };
}

/**
 * Checks an UpdateCalendar against the room type (`unitCount`, the property's `currency`) and
 * `today` at the property. Past nights are read-only: a range starting before today is
 * "invalid" (INVALID_ARGUMENT) on start_date, because the argument is wrong whatever the
 * inventory holds and the fix is to change the request, not the system; the issue lists it
 * with the other invalid inputs. Offering more units than the room type has is
 * "precondition", as the contract says.
 */
export function planCalendarUpdate(req: CalendarUpdateRequest, room: { unitCount: number; currency: string }, today: string): CalendarUpdate {
  const v = violations();
  v.check(isCalendarDate(req.startDate), "start_date", "must be a date YYYY-MM-DD");
  v.check(isCalendarDate(req.endDate), "end_date", "must be a date YYYY-MM-DD");
  v.throwIfAny();
  const nights = daysBetween(req.startDate, req.endDate);
  v.check(nights >= 1, "end_date", "must be after start_date");
  v.check(nights <= MAX_CALENDAR_NIGHTS, "end_date", `at most ${MAX_CALENDAR_NIGHTS} nights per update`);
  v.check(req.startDate >= today, "start_date", `past nights are read-only (today is ${today} at the property)`);
  v.check(req.mask.length > 0, "update_mask", "must name at least one field");
  req.mask.forEach((p, i) => {
    v.check((CALENDAR_PATHS as readonly string[]).includes(p), `update_mask.paths[${i}]`, `must be one of ${CALENDAR_PATHS.join(", ")}`);
  });
  const weekdaysOk = req.weekdays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) && new Set(req.weekdays).size === req.weekdays.length;
  v.check(weekdaysOk, "weekdays", "must be distinct weekdays 1 (Monday) to 7 (Sunday)");
  const s = req.settings;
  const set: CalendarUpdate["set"] = {};
  const has = (p: (typeof CALENDAR_PATHS)[number]) => req.mask.includes(p);
  if (has("available_units")) set.availableUnits = s.availableUnits ?? 0;
  if (has("price_override")) {
    const price = s.priceOverride;
    v.check(price === undefined || isNightlyAmount(price.amountMinor), "settings.price_override.amount_minor", "must be a whole amount not below zero");
    v.check(price === undefined || price.currency === room.currency, "settings.price_override.currency_code", `must be the property's currency ${room.currency}`);
    set.priceOverrideMinor = price === undefined ? null : price.amountMinor;
  }
  if (has("min_stay_nights")) {
    set.minStayNights = s.minStayNights ?? 0;
    v.check(Number.isInteger(set.minStayNights) && set.minStayNights >= 0 && set.minStayNights <= 365, "settings.min_stay_nights", "must be 0 to 365");
  }
  if (has("closed_to_arrival")) set.closedToArrival = s.closedToArrival ?? false;
  if (has("closed_to_departure")) set.closedToDeparture = s.closedToDeparture ?? false;
  const units = set.availableUnits;
  v.check(units === undefined || (Number.isInteger(units) && units >= 0), "settings.available_units", "must not be negative");
  v.throwIfAny();
  if (units !== undefined && units > room.unitCount) {
    throw new DomainError("precondition", `available_units ${units} exceeds the room type's ${room.unitCount} units`, {
      violations: [{ field: "settings.available_units", description: `at most the room type's unit_count (${room.unitCount})` }],
    });
  }
  return { startDate: req.startDate, endDate: req.endDate, weekdays: [...req.weekdays].sort((a, b) => a - b), set };
}

/** The nights an update writes: the range, filtered by weekdays when any are given. */
export function selectedNights(update: CalendarUpdate): string[] {
  const all = datesBetween(update.startDate, update.endDate);
  return update.weekdays.length === 0 ? all : all.filter((d) => update.weekdays.includes(isoWeekday(d)));
}

/**
 * Refuses an update that offers fewer units than are already held and booked on one of the
 * selected nights (FAILED_PRECONDITION, as the contract says), naming the first such night.
 */
export function checkCommittedUnits(update: CalendarUpdate, rows: readonly InventoryNight[]): void {
  const units = update.set.availableUnits;
  if (units === undefined) return;
  const selected = new Set(selectedNights(update));
  const over = rows.filter((r) => selected.has(r.night) && r.unitsHeld + r.unitsBooked > units).sort((a, b) => (a.night < b.night ? -1 : 1))[0];
  if (over === undefined) return;
  const committed = over.unitsHeld + over.unitsBooked;
  throw new DomainError("precondition", `${committed} units are already held or booked on ${over.night}`, {
    violations: [{ field: "settings.available_units", description: `at least ${committed} on ${over.night}` }],
  });
}

/** Checks a GetCalendar range (past nights may be read) and returns its nights in order. */
export function calendarRange(startDate: string, endDate: string): string[] {
  const v = violations();
  v.check(isCalendarDate(startDate), "start_date", "must be a date YYYY-MM-DD");
  v.check(isCalendarDate(endDate), "end_date", "must be a date YYYY-MM-DD");
  v.throwIfAny();
  const nights = daysBetween(startDate, endDate);
  v.check(nights >= 1, "end_date", "must be after start_date");
  v.check(nights <= MAX_CALENDAR_NIGHTS, "end_date", `at most ${MAX_CALENDAR_NIGHTS} nights`);
  v.throwIfAny();
  return datesBetween(startDate, endDate);
}
