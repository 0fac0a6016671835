import { create } from "@bufbuild/protobuf";
import {
  type CalendarDay as ProtoCalendarDay,
  CalendarDaySchema,
  type UpdateCalendarRequest,
} from "@triphub/contracts/triphub/accommodation/v1/calendar_pb";
import type { CalendarDay } from "../domain/calendar.js";
import type { CalendarUpdateRequest } from "../domain/calendar-update.js";
import { fromProtoMoney, toProtoMoney } from "./common.js";

/** One night of a room type's calendar in the contract's form. */
export function toProtoCalendarDay(d: CalendarDay): ProtoCalendarDay {
  return create(CalendarDaySchema, {
    date: d.date,
    availableUnits: d.availableUnits,
    heldUnits: d.heldUnits,
    bookedUnits: d.bookedUnits,
    remainingUnits: d.remainingUnits,
    price: toProtoMoney(d.price),
    priceOverridden: d.priceOverridden,
    minStayNights: d.minStayNights,
    closedToArrival: d.closedToArrival,
    closedToDeparture: d.closedToDeparture,
  });
}

/**
 * An UpdateCalendar as the domain plans it. Proto `Weekday` numbers are ISO weekdays
 * (MONDAY = 1 ... SUNDAY = 7), the numbering `planCalendarUpdate` checks.
 */
export function calendarUpdateFromProto(req: UpdateCalendarRequest): CalendarUpdateRequest {
  const s = req.settings;
  return {
    startDate: req.startDate,
    endDate: req.endDate,
    weekdays: req.weekdays.map(Number),
    settings: {
      availableUnits: s?.availableUnits,
      priceOverride: s?.priceOverride && fromProtoMoney(s.priceOverride, "settings.price_override"),
      minStayNights: s?.minStayNights,
      closedToArrival: s?.closedToArrival,
      closedToDeparture: s?.closedToDeparture,
    },
    mask: req.updateMask?.paths ?? [],
  };
}
