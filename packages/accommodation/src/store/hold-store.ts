import { invalid, notFound } from "@triphub/platform/domain-error";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { calendarDay, calendarDays, checkBookable, nightlyPrices, stayPrice, unbookableError } from "../domain/calendar.js";
import { daysBetween, localDate } from "../domain/dates.js";
import { holdChanged } from "../domain/events.js";
import { MAX_HOLD_UNITS, confirmHold, expireHold, holdExpiry, notBookable, occupancyExceeded, releaseHold, releasedBeforeHold, replayHold } from "../domain/hold.js";
import type { Hold, HoldChange, HoldReleaseReason, HoldRequest } from "../domain/hold.js";
import { fitsParty } from "../domain/room-type.js";
import { parseStay } from "../domain/stay.js";
import { isUuid } from "@triphub/platform/ids";
import type { AccommodationDb, AccommodationTx } from "./db.js";
import { holdColumns, toHold } from "./hold-rows.js";
import { addHeld, lockNights, materializeNights, moveUnits, toInventoryNight } from "./inventory-sql.js";
import { appendEvents, writeTransaction } from "./outbox.js";
import { toProperty } from "./property-rows.js";
import { toRoomType } from "./room-type-rows.js";
import { holdTombstones, holds, inventory, properties, roomTypes } from "./schema.js";
import { countHoldCreated } from "../hold-metrics.js";

/** A HoldInventory call. */
export interface HoldInventoryInput extends HoldRequest {
  /** Seconds the hold lives unless confirmed; undefined: 15 minutes. */
  ttlSeconds?: number;
}

/** Inventory holds of the booking saga. Each call is one transaction, with its event (outbox.ts). */
export interface HoldStore {
  /**
   * Sets `units` aside on every night of the stay, all or nothing: "precondition" naming the
   * first night that fails (ROOMS_UNAVAILABLE, STAY_RESTRICTED), or OCCUPANCY_EXCEEDED,
   * PROPERTY_NOT_BOOKABLE, HOLD_RELEASED. Idempotent per reservation: a repeat returns the
   * existing hold; different arguments are "already_exists".
   */
  hold(input: HoldInventoryInput, now: Date): Promise<Hold>;
  /** Turns a live HELD hold into booked units; idempotent. "not_found" when there is none. */
  confirm(reservationId: string, now: Date): Promise<Hold>;
  /**
   * Gives a HELD or CONFIRMED hold's units back; idempotent. For a reservation with no hold,
   * records a tombstone (so a late HoldInventory fails) and returns undefined.
   */
  release(reservationId: string, reason: HoldReleaseReason, now: Date): Promise<Hold | undefined>;
  get(reservationId: string): Promise<Hold | undefined>;
  /**
   * The sweeper: expires up to `batchSize` HELD holds whose TTL has passed at `now` and gives
   * their units back; returns them. Holds another transaction has locked are skipped (SKIP
   * LOCKED), so several sweepers can run at once; call until it returns fewer than the batch.
   */
  expire(now: Date, batchSize: number): Promise<Hold[]>;
  /** Seconds the longest-lapsed HELD hold has been past its expiry at `now` (0: none): the sweeper's backlog. */
  oldestLapsedSeconds(now: Date): Promise<number>;
}

// Serialises hold, confirm and release of one reservation (lock order step 1, see
// inventory-sql.ts), which also closes the race between a release that records a tombstone
// and a hold of the same reservation that has not committed yet.
async function lockReservation(tx: AccommodationTx, reservationId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${reservationId}, 7))`);
}

async function findHold(tx: AccommodationTx, reservationId: string): Promise<Hold | undefined> {
  const [row] = await tx.select().from(holds).where(eq(holds.reservationId, reservationId)).for("update");
  return row ? toHold(row) : undefined;
}

// Applies a transition: the nights' counters (locked in night order first), then the hold row.
async function apply(tx: AccommodationTx, before: Hold, change: HoldChange): Promise<Hold> {
  if (change.move === "none" && change.hold === before) return before;
  const h = change.hold;
  if (change.move !== "none") {
    const nights = await lockNights(tx, h.roomTypeId, h.checkIn, h.checkOut);
    await moveUnits(tx, h.roomTypeId, h.checkIn, h.checkOut, nights.length, change.move, h.units);
  }
  const [saved] = await tx.update(holds).set(holdColumns(h)).where(eq(holds.reservationId, h.reservationId)).returning();
  const after = toHold(saved);
  const event = holdChanged(before, after);
  if (event) await appendEvents(tx, [event]);
  return after;
}

async function createHold(tx: AccommodationTx, input: HoldInventoryInput, now: Date): Promise<Hold> {
  await lockReservation(tx, input.reservationId);
  const existing = await findHold(tx, input.reservationId);
  if (existing) return replayHold(existing, input);
  const [tomb] = await tx.select().from(holdTombstones).where(eq(holdTombstones.reservationId, input.reservationId));
  if (tomb) throw releasedBeforeHold(input.reservationId);

  // FOR SHARE: concurrent holds proceed together, while a room-type edit or delete waits.
  const [rtRow] = await tx.select().from(roomTypes).where(eq(roomTypes.id, input.roomTypeId)).for("share");
  if (!rtRow || rtRow.propertyId !== input.propertyId) throw notFound("room type", input.roomTypeId);
  const [pRow] = await tx.select().from(properties).where(eq(properties.id, input.propertyId));
  if (!pRow) throw notFound("property", input.propertyId);
  const roomType = toRoomType(rtRow);
  const property = toProperty(pRow);
  if (property.status !== "listed") throw notBookable(property.id);

  const stay = parseStay(input.checkIn, input.checkOut, localDate(now, property.timeZone));
  if (!Number.isInteger(input.units) || input.units < 1 || input.units > MAX_HOLD_UNITS) {
    throw invalid("units", `must be 1 to ${MAX_HOLD_UNITS}`);
  }
  const expiresAt = holdExpiry(now, input.ttlSeconds);
  if (!fitsParty(roomType, input.units, input.guests)) throw occupancyExceeded(input.units);

  await materializeNights(tx, roomType.id, roomType.unitCount, stay.checkIn, stay.checkOut);
  const days = calendarDays(roomType, stay.nights, await lockNights(tx, roomType.id, stay.checkIn, stay.checkOut));
  const [depRow] = await tx.select().from(inventory).where(and(eq(inventory.roomTypeId, roomType.id), eq(inventory.night, stay.checkOut)));
  const departure = calendarDay(roomType, stay.checkOut, depRow && toInventoryNight(depRow));
  const unbookable = checkBookable(stay, days, input.units, departure);
  if (unbookable) throw unbookableError(unbookable);
  const held = await addHeld(tx, roomType.id, stay.checkIn, stay.checkOut, input.units);
  if (held !== stay.nights.length) throw new Error(`held ${held} of ${stay.nights.length} nights`);

  const [row] = await tx
    .insert(holds)
    .values(
      holdColumns({
        reservationId: input.reservationId,
        propertyId: property.id,
        roomTypeId: roomType.id,
        hostId: property.ownerId,
        checkIn: stay.checkIn,
        checkOut: stay.checkOut,
        units: input.units,
        guests: { adults: input.guests.adults, children: input.guests.children },
        status: "held",
        price: stayPrice(nightlyPrices(roomType, stay.nights, days), input.units, property.currency),
        cancellationPolicy: property.cancellationPolicy,
        propertyName: property.name,
        roomTypeName: roomType.name,
        timeZone: property.timeZone,
        checkInTime: property.checkInTime,
        checkOutTime: property.checkOutTime,
        createdAt: now,
        expiresAt,
        confirmedAt: undefined,
        releasedAt: undefined,
        releaseReason: undefined,
      }),
    )
    .returning();
  const created = toHold(row);
  await appendEvents(tx, [{ type: "InventoryHeld", hold: created }]);
  return created;
}

/** The hold store over `db`. */
export function createHoldStore(db: AccommodationDb): HoldStore {
  return {
    async hold(input, now) {
      if (!isUuid(input.reservationId)) throw invalid("reservation_id", "must be a UUID");
      if (!isUuid(input.roomTypeId)) throw notFound("room type", input.roomTypeId);
      if (!isUuid(input.propertyId)) throw notFound("property", input.propertyId);
      const hold = await writeTransaction(db, (tx) => createHold(tx, input, now));
      // A repeat returns the hold made earlier, with its own creation time.
      if (hold.createdAt.getTime() === now.getTime()) countHoldCreated();
      return hold;
    },

    async confirm(reservationId, now) {
      if (!isUuid(reservationId)) throw notFound("hold", reservationId);
      return writeTransaction(db, async (tx) => {
        await lockReservation(tx, reservationId);
        const hold = await findHold(tx, reservationId);
        if (!hold) throw notFound("hold", reservationId);
        return apply(tx, hold, confirmHold(hold, now));
      });
    },

    async release(reservationId, reason, now) {
      if (!isUuid(reservationId)) throw invalid("reservation_id", "must be a UUID");
      return writeTransaction(db, async (tx) => {
        await lockReservation(tx, reservationId);
        const hold = await findHold(tx, reservationId);
        if (hold) return apply(tx, hold, releaseHold(hold, reason, now));
        await tx.insert(holdTombstones).values({ reservationId, reason, releasedAt: now }).onConflictDoNothing();
        return undefined;
      });
    },

    async get(reservationId) {
      if (!isUuid(reservationId)) return undefined;
      const [row] = await db.select().from(holds).where(eq(holds.reservationId, reservationId));
      return row ? toHold(row) : undefined;
    },

    async oldestLapsedSeconds(now) {
      const [row] = await db
        .select({ oldest: sql<Date | string | null>`min(${holds.expiresAt})` })
        .from(holds)
        .where(and(eq(holds.status, "held"), lte(holds.expiresAt, now)));
      return row?.oldest ? Math.max(0, (now.getTime() - new Date(row.oldest).getTime()) / 1000) : 0;
    },

    expire(now, batchSize) {
      return writeTransaction(db, async (tx) => {
        const rows = await tx
          .select()
          .from(holds)
          .where(and(eq(holds.status, "held"), lte(holds.expiresAt, now)))
          .orderBy(asc(holds.expiresAt))
          .limit(batchSize)
          .for("update", { skipLocked: true });
        const lapsed = rows.map(toHold).filter((h) => expireHold(h, now).move !== "none");
        // Lock every affected night up front in (room_type_id, night) order, the global lock
        // order, before moving any units: per-hold locking could take them out of order.
        const byRoomType = new Map<string, Hold[]>();
        for (const h of lapsed) byRoomType.set(h.roomTypeId, [...(byRoomType.get(h.roomTypeId) ?? []), h]);
        for (const id of [...byRoomType.keys()].sort()) {
          const group = byRoomType.get(id) ?? [];
          // YYYY-MM-DD sorts as text in date order.
          const from = group.map((h) => h.checkIn).sort()[0];
          const to = group.map((h) => h.checkOut).sort()[group.length - 1];
          await lockNights(tx, id, from, to);
        }
        const expired: Hold[] = [];
        for (const h of lapsed) {
          const change = expireHold(h, now);
          await moveUnits(tx, h.roomTypeId, h.checkIn, h.checkOut, daysBetween(h.checkIn, h.checkOut), change.move, h.units);
          const [saved] = await tx.update(holds).set(holdColumns(change.hold)).where(eq(holds.reservationId, h.reservationId)).returning();
          expired.push(toHold(saved));
        }
        // Events last, after every row lock (see appendEvents), one HoldExpired per hold.
        await appendEvents(tx, expired.map((hold) => ({ type: "HoldExpired" as const, hold })));
        return expired;
      });
    },
  };
}
