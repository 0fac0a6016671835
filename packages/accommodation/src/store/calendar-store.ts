import { DomainError, notFound } from "@triphub/platform/domain-error";
import { and, asc, eq, gte, lte, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { calendarDays } from "../domain/calendar.js";
import type { CalendarDay } from "../domain/calendar.js";
import { calendarRange, checkCommittedUnits, planCalendarUpdate } from "../domain/calendar-update.js";
import type { CalendarUpdate, CalendarUpdateRequest } from "../domain/calendar-update.js";
import type { RoomType } from "../domain/room-type.js";
import { isUuid } from "@triphub/platform/ids";
import { isCheckViolation } from "@triphub/platform/store-helpers";
import type { AccommodationDb, AccommodationTx, Executor } from "./db.js";
import { lockNights, refreshRoomTypePriceBounds, toInventoryNight } from "./inventory-sql.js";
import { appendEvents, writeTransaction } from "./outbox.js";
import { toRoomType } from "./room-type-rows.js";
import { inventory, roomTypes } from "./schema.js";

/** Per-night availability, prices and restrictions of room types. */
export interface CalendarStore {
  /**
   * The calendar of nights [startDate, endDate) (at most 366). Nights without a stored row
   * take the room type's unit count and base price, with no restrictions.
   */
  read(roomTypeId: string, startDate: string, endDate: string): Promise<CalendarDay[]>;
  /**
   * UpdateCalendar: writes the masked settings to every selected night of the range in one
   * upsert, all or nothing, and returns the whole range after. Past nights (before `today` at
   * the property) are refused ("invalid"); offering more units than the room type has, or
   * fewer than are held and booked on a night, is "precondition".
   */
  update(roomTypeId: string, request: CalendarUpdateRequest, today: string): Promise<CalendarDay[]>;
}

async function readDays(db: Executor, roomType: RoomType, nights: string[]): Promise<CalendarDay[]> {
  const rows = await db
    .select()
    .from(inventory)
    .where(and(eq(inventory.roomTypeId, roomType.id), gte(inventory.night, nights[0]), lte(inventory.night, nights[nights.length - 1])))
    .orderBy(asc(inventory.night));
  return calendarDays(roomType, nights, rows.map(toInventoryNight));
}

// The one upsert of an update: every selected night, inserted with the room type's defaults
// plus the masked settings, or updated in exactly the masked columns.
function upsert(roomType: RoomType, u: CalendarUpdate): SQL {
  const s = u.set;
  const sets: SQL[] = [];
  if (s.availableUnits !== undefined) sets.push(sql`units_total = excluded.units_total, units_total_set = true`);
  if (s.priceOverrideMinor !== undefined) sets.push(sql`price_override_minor = excluded.price_override_minor`);
  if (s.minStayNights !== undefined) sets.push(sql`min_stay_nights = excluded.min_stay_nights`);
  if (s.closedToArrival !== undefined) sets.push(sql`closed_to_arrival = excluded.closed_to_arrival`);
  if (s.closedToDeparture !== undefined) sets.push(sql`closed_to_departure = excluded.closed_to_departure`);
  const weekdays =
    u.weekdays.length === 0 ? sql`true` : sql`extract(isodow from d)::int in (${sql.join(u.weekdays.map((w) => sql`${w}`), sql`, `)})`;
  return sql`
    insert into ${inventory} (room_type_id, night, units_total, units_total_set, price_override_minor,
                              min_stay_nights, closed_to_arrival, closed_to_departure)
    select ${roomType.id}::uuid, d::date, ${s.availableUnits ?? roomType.unitCount}::int, ${s.availableUnits !== undefined},
           ${s.priceOverrideMinor ?? null}::bigint, ${s.minStayNights ?? 0}::int,
           ${s.closedToArrival ?? false}, ${s.closedToDeparture ?? false}
    from generate_series(${u.startDate}::date, ${u.endDate}::date - 1, interval '1 day') as d
    where ${weekdays}
    order by d
    on conflict (room_type_id, night) do update set ${sql.join(sets, sql`, `)}`;
}

async function lockRoomType(tx: AccommodationTx, id: string, strength: "share" | "no key update"): Promise<{ roomType: RoomType; currency: string }> {
  const [row] = await tx.select().from(roomTypes).where(eq(roomTypes.id, id)).for(strength);
  if (!row) throw notFound("room type", id);
  return { roomType: toRoomType(row), currency: row.currency };
}

/** The calendar store over `db`. */
export function createCalendarStore(db: AccommodationDb): CalendarStore {
  return {
    async read(roomTypeId, startDate, endDate) {
      const nights = calendarRange(startDate, endDate);
      if (!isUuid(roomTypeId)) throw notFound("room type", roomTypeId);
      const [row] = await db.select().from(roomTypes).where(eq(roomTypes.id, roomTypeId));
      if (!row) throw notFound("room type", roomTypeId);
      return readDays(db, toRoomType(row), nights);
    },

    async update(roomTypeId, request, today) {
      if (!isUuid(roomTypeId)) throw notFound("room type", roomTypeId);
      try {
        return await writeTransaction(db, async (tx) => {
          // The unit count cannot change under the update (room-type edits lock it FOR UPDATE).
          // Setting prices also rewrites the room type's price bounds, so that takes the row
          // for update rather than FOR SHARE.
          const setsPrices = request.mask.includes("price_override");
          const { roomType, currency } = await lockRoomType(tx, roomTypeId, setsPrices ? "no key update" : "share");
          const plan = planCalendarUpdate(request, { unitCount: roomType.unitCount, currency }, today);
          if (plan.set.availableUnits !== undefined) {
            checkCommittedUnits(plan, await lockNights(tx, roomTypeId, plan.startDate, plan.endDate));
          }
          await tx.execute(upsert(roomType, plan));
          if (plan.set.priceOverrideMinor !== undefined) await refreshRoomTypePriceBounds(tx, roomTypeId, today);
          await appendEvents(tx, [{ type: "CalendarUpdated", propertyId: roomType.propertyId, roomTypeId, update: plan, currency }]);
          return readDays(tx, roomType, calendarRange(plan.startDate, plan.endDate));
        });
      } catch (err) {
        // The CHECK is the last guard; the explicit check above names the night first.
        if (isCheckViolation(err, "inventory_units_within_total")) {
          throw new DomainError("precondition", "available_units is below the units held and booked on a night", { cause: err });
        }
        throw err;
      }
    },
  };
}
