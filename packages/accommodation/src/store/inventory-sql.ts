import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { InventoryNight } from "../domain/calendar.js";
import type { InventoryMove } from "../domain/hold.js";
import type { AccommodationTx } from "./db.js";
import { inventory } from "./schema.js";

/*
 * Lock order, followed by every transaction that changes inventory, so that no two can wait
 * on each other in a cycle (deadlock-free by construction):
 *   1. the reservation (advisory lock; hold, confirm, release of one reservation)
 *   2. the room type row (FOR SHARE by holds and calendar updates, FOR UPDATE by room-type edits)
 *   3. the hold row(s)
 *   4. inventory rows, in (room_type_id, night) order, via `lockNights` before any UPDATE.
 * Rows are locked with SELECT ... ORDER BY night FOR UPDATE rather than by a multi-row UPDATE,
 * whose locking order follows the plan's scan order and is not guaranteed.
 */

type InventoryRow = typeof inventory.$inferSelect;

/** A stored row as the domain's `InventoryNight`. */
export function toInventoryNight(row: InventoryRow): InventoryNight {
  return {
    night: row.night,
    unitsTotal: row.unitsTotal,
    unitsHeld: row.unitsHeld,
    unitsBooked: row.unitsBooked,
    priceOverrideMinor: row.priceOverrideMinor ?? undefined,
    minStayNights: row.minStayNights,
    closedToArrival: row.closedToArrival,
    closedToDeparture: row.closedToDeparture,
  };
}

/**
 * Creates the missing rows of nights [from, to) with the room type's defaults, in night
 * order. Concurrent callers inserting overlapping ranges wait on each other's rows in
 * ascending order too, so they cannot deadlock.
 */
export async function materializeNights(tx: AccommodationTx, roomTypeId: string, unitCount: number, from: string, to: string): Promise<void> {
  await tx.execute(sql`
    insert into ${inventory} (room_type_id, night, units_total)
    select ${roomTypeId}::uuid, d::date, ${unitCount}::int
    from generate_series(${from}::date, ${to}::date - 1, interval '1 day') as d
    order by d
    on conflict (room_type_id, night) do nothing`);
}

/** Locks the existing rows of nights [from, to) (`to` undefined: every later night) in night order and returns them. */
export async function lockNights(tx: AccommodationTx, roomTypeId: string, from: string, to?: string): Promise<InventoryNight[]> {
  const range = to === undefined ? gte(inventory.night, from) : and(gte(inventory.night, from), lt(inventory.night, to));
  const rows = await tx
    .select()
    .from(inventory)
    .where(and(eq(inventory.roomTypeId, roomTypeId), range))
    .orderBy(asc(inventory.night))
    .for("update");
  return rows.map(toInventoryNight);
}

function counters(move: Exclude<InventoryMove, "none">, units: number) {
  switch (move) {
    case "hold_to_booked":
      return { unitsHeld: sql`${inventory.unitsHeld} - ${units}`, unitsBooked: sql`${inventory.unitsBooked} + ${units}` };
    case "release_held":
      return { unitsHeld: sql`${inventory.unitsHeld} - ${units}` };
    case "release_booked":
      return { unitsBooked: sql`${inventory.unitsBooked} - ${units}` };
    default: {
      const _x: never = move;
      throw new Error(`unknown inventory move ${String(_x)}`);
    }
  }
}

/**
 * Applies a hold transition's move to every night [from, to) of a room type; the rows must
 * already be locked. Throws if a night is missing: that would mean a unit was lost.
 */
export async function moveUnits(tx: AccommodationTx, roomTypeId: string, from: string, to: string, nights: number, move: InventoryMove, units: number): Promise<void> {
  if (move === "none") return;
  const rows = await tx
    .update(inventory)
    .set(counters(move, units))
    .where(and(eq(inventory.roomTypeId, roomTypeId), gte(inventory.night, from), lt(inventory.night, to)))
    .returning({ night: inventory.night });
  if (rows.length !== nights) throw new Error(`inventory of room type ${roomTypeId} lost nights: ${rows.length} of ${nights}`);
}

/** Adds `units` held units to every night [from, to); the rows must exist and be locked. */
export async function addHeld(tx: AccommodationTx, roomTypeId: string, from: string, to: string, units: number): Promise<number> {
  const rows = await tx
    .update(inventory)
    .set({ unitsHeld: sql`${inventory.unitsHeld} + ${units}` })
    .where(and(eq(inventory.roomTypeId, roomTypeId), gte(inventory.night, from), lt(inventory.night, to)))
    .returning({ night: inventory.night });
  return rows.length;
}

/**
 * Recomputes the room-type price bounds that price sorts walk by (refresh_room_type_price_bounds;
 * which migration defines it now: store/search/index.ts) for a room type whose base, weekend or
 * nightly prices a transaction changed, as of `today` (in any time
 * zone). It updates the room type's row, so the transaction must hold that row FOR UPDATE or
 * FOR NO KEY UPDATE (two holding it FOR SHARE would deadlock on the upgrade).
 */
export async function refreshRoomTypePriceBounds(tx: AccommodationTx, roomTypeId: string, today: string): Promise<void> {
  await tx.execute(sql`select refresh_room_type_price_bounds(array[${roomTypeId}::uuid], ${today}::date)`);
}
