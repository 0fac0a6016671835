import { randomUUID } from "node:crypto";
import { DomainError, notFound } from "@triphub/platform/domain-error";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { roomTypeChanged } from "../domain/events.js";
import type { RoomTypeReadiness } from "../domain/property-status.js";
import type { RequestKey } from "../domain/request-id.js";
import { checkUnitCount } from "../domain/room-type.js";
import type { NewRoomType, RoomType } from "../domain/room-type.js";
import { checkEtag } from "../domain/version.js";
import { isUuid } from "@triphub/platform/ids";
import { timestamptz } from "@triphub/platform/store-helpers";
import type { AccommodationDb } from "./db.js";
import { lockNights, refreshRoomTypePriceBounds } from "./inventory-sql.js";
import { decodePageToken, encodePageToken, pageSize } from "@triphub/platform/page-token";
import { hasLiveHolds } from "./property-store.js";
import { appendEvents, writeTransaction } from "./outbox.js";
import { claimRequestId } from "./request-ids.js";
import { roomTypeColumns, toRoomType } from "./room-type-rows.js";
import { inventory, roomTypes } from "./schema.js";

/** One page of a property's room types in creation order; `nextPageToken` is "" on the last. */
export interface RoomTypePage {
  roomTypes: RoomType[];
  nextPageToken: string;
}

/** Room types. Every method takes and returns domain types; every change records its event (outbox.ts). */
export interface RoomTypeStore {
  /**
   * Stores a new room type. With a `request` key (AIP-155), a repeat of an earlier request
   * returns the room type it created (current state) and creates nothing; "not_found" if that
   * room type has since been deleted.
   */
  create(roomType: NewRoomType, request?: RequestKey): Promise<RoomType>;
  /** The room type, or undefined for an unknown id. */
  get(id: string): Promise<RoomType | undefined>;
  /** A property's room types in creation order (keyset on (created_at, id)); a token from another property is "invalid". */
  listByProperty(propertyId: string, query?: { pageSize?: number; pageToken?: string }): Promise<RoomTypePage>;
  /**
   * Loads the room type FOR UPDATE, checks the etag ("conflict" when stale), applies `change`
   * and saves, in one transaction. When the unit count changes, nights from `today` on follow
   * it (nights whose units the host set are capped at it); lowering it below the units held or
   * booked on such a night is "precondition".
   */
  updateRoomType(id: string, expectedEtag: string | undefined, change: (r: RoomType) => RoomType, today: string): Promise<RoomType>;
  /** Deletes the room type and its calendar; "precondition" while it has live holds or unfinished stays. */
  delete(id: string, expectedEtag: string | undefined, today: string): Promise<void>;
  /** What PublishProperty needs to know about a property's room types. */
  readiness(propertyId: string): Promise<RoomTypeReadiness>;
}

/** The room type store over `db`. */
export function createRoomTypeStore(db: AccommodationDb): RoomTypeStore {
  return {
    create(roomType, request) {
      return writeTransaction(db, async (tx) => {
        const id = randomUUID();
        const earlier = request && (await claimRequestId(tx, request, id, roomType.createdAt));
        if (earlier) {
          const [row] = await tx.select().from(roomTypes).where(eq(roomTypes.id, earlier));
          if (!row) throw new DomainError("not_found", `room type ${earlier}, created by this request_id, has since been deleted`);
          return toRoomType(row);
        }
        const [row] = await tx.insert(roomTypes).values({ id, ...roomTypeColumns(roomType) }).returning();
        const created = toRoomType(row);
        await appendEvents(tx, [{ type: "RoomTypeCreated", roomType: created }]);
        return created;
      });
    },

    async get(id) {
      if (!isUuid(id)) return undefined;
      const [row] = await db.select().from(roomTypes).where(eq(roomTypes.id, id));
      return row ? toRoomType(row) : undefined;
    },

    async listByProperty(propertyId, query = {}) {
      if (!isUuid(propertyId)) return { roomTypes: [], nextPageToken: "" };
      const size = pageSize(query.pageSize, 50, 100);
      const scope = JSON.stringify([propertyId]);
      const after = query.pageToken ? decodePageToken(query.pageToken, "ListRoomTypes", scope) : undefined;
      const rows = await db
        .select()
        .from(roomTypes)
        .where(
          and(
            eq(roomTypes.propertyId, propertyId),
            after && sql`(${roomTypes.createdAt}, ${roomTypes.id}) > (${timestamptz(after.at)}, ${after.id}::uuid)`,
          ),
        )
        .orderBy(asc(roomTypes.createdAt), asc(roomTypes.id))
        .limit(size + 1);
      const page = rows.slice(0, size).map(toRoomType);
      const last = page[page.length - 1];
      return { roomTypes: page, nextPageToken: rows.length > size ? encodePageToken({ at: last.createdAt, id: last.id }, scope) : "" };
    },

    async updateRoomType(id, expectedEtag, change, today) {
      if (!isUuid(id)) throw notFound("room type", id);
      return writeTransaction(db, async (tx) => {
        const [row] = await tx.select().from(roomTypes).where(eq(roomTypes.id, id)).for("update");
        if (!row) throw notFound("room type", id);
        const current = toRoomType(row);
        checkEtag(expectedEtag, current, "the room type");
        const changed = change(current);
        if (changed === current) return current;
        // Every saved change moves the etag on, whatever `change` did with the counter.
        const next = { ...changed, version: current.version + 1 };
        if (next.unitCount !== current.unitCount) {
          // Holds are shut out by the room-type lock; locking the nights shuts out confirms
          // and releases, so the committed figures cannot move under the check.
          const nights = await lockNights(tx, id, today);
          const over = nights.find((n) => n.unitsHeld + n.unitsBooked > next.unitCount);
          checkUnitCount(next.unitCount, over && { night: over.night, units: over.unitsHeld + over.unitsBooked });
          await tx
            .update(inventory)
            .set({
              unitsTotal: sql`case when ${inventory.unitsTotalSet} then least(${inventory.unitsTotal}, ${next.unitCount}) else ${next.unitCount} end`,
            })
            .where(and(eq(inventory.roomTypeId, id), sql`${inventory.night} >= ${today}::date`));
        }
        const [saved] = await tx.update(roomTypes).set(roomTypeColumns(next)).where(eq(roomTypes.id, id)).returning();
        const repriced =
          next.basePrice.amountMinor !== current.basePrice.amountMinor || next.weekendPrice?.amountMinor !== current.weekendPrice?.amountMinor;
        if (repriced) await refreshRoomTypePriceBounds(tx, id, today);
        const after = toRoomType(saved);
        await appendEvents(tx, [roomTypeChanged(current, after)]);
        return after;
      });
    },

    async delete(id, expectedEtag, today) {
      if (!isUuid(id)) throw notFound("room type", id);
      await writeTransaction(db, async (tx) => {
        const [row] = await tx.select().from(roomTypes).where(eq(roomTypes.id, id)).for("update");
        if (!row) throw notFound("room type", id);
        checkEtag(expectedEtag, toRoomType(row), "the room type");
        if (await hasLiveHolds(tx, { roomTypeId: id }, today)) {
          throw new DomainError("precondition", "the room type has holds or stays that have not ended", { reason: "ROOM_TYPE_IN_USE" });
        }
        await tx.delete(roomTypes).where(eq(roomTypes.id, id));
        await appendEvents(tx, [{ type: "RoomTypeDeleted", propertyId: row.propertyId, roomTypeId: id }]);
      });
    },

    async readiness(propertyId) {
      if (!isUuid(propertyId)) return { sellableRoomTypes: 0 };
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(roomTypes)
        .where(and(eq(roomTypes.propertyId, propertyId), gt(roomTypes.unitCount, 0), gt(roomTypes.basePriceMinor, 0)));
      return { sellableRoomTypes: row?.n ?? 0 };
    },
  };
}
