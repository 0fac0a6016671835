import { randomUUID } from "node:crypto";
import { DomainError, notFound } from "@triphub/platform/domain-error";
import { and, desc, eq, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { localDate } from "../domain/dates.js";
import { propertyChanged } from "../domain/events.js";
import type { NewProperty, Property, PropertyStatus } from "../domain/property.js";
import type { RequestKey } from "../domain/request-id.js";
import { checkEtag } from "../domain/version.js";
import { isUuid } from "@triphub/platform/ids";
import { timestamptz } from "@triphub/platform/store-helpers";
import type { AccommodationDb, Executor } from "./db.js";
import { decodePageToken, encodePageToken, pageSize } from "@triphub/platform/page-token";
import { propertyColumns, toProperty } from "./property-rows.js";
import { appendEvents, writeTransaction } from "./outbox.js";
import { claimRequestId } from "./request-ids.js";
import { holds, properties, roomTypes } from "./schema.js";

/** ListMyProperties page size when the caller asks for 0. */
export const DEFAULT_PROPERTY_PAGE_SIZE = 20;
/** The largest ListMyProperties page. */
export const MAX_PROPERTY_PAGE_SIZE = 100;

/** Paging and filters of `PropertyStore.listByOwner`. */
export interface ListPropertiesQuery {
  pageSize?: number;
  /** `nextPageToken` of a previous page for the same owner and status (else "invalid"). */
  pageToken?: string;
  status?: PropertyStatus;
}

/** One page of properties, most recently updated first; `nextPageToken` is "" on the last. */
export interface PropertyPage {
  properties: Property[];
  nextPageToken: string;
}

/** Properties. Every method takes and returns domain types; every change records its event (outbox.ts). */
export interface PropertyStore {
  /**
   * Stores a new property. With a `request` key (AIP-155), a repeat of an earlier request
   * returns the property it created, in its current state (the "stale success" AIP-155
   * allows), and creates nothing; "not_found" if that property has since been deleted.
   */
  create(property: NewProperty, request?: RequestKey): Promise<Property>;
  /** The property, or undefined for an unknown (or malformed) id. */
  get(id: string): Promise<Property | undefined>;
  /**
   * Loads the property FOR UPDATE, checks `expectedEtag` (ABORTED "conflict" when stale;
   * undefined or "" skips the check), applies `change` and saves the result, in one
   * transaction. When `change` returns the property itself nothing is written. A DomainError
   * thrown by `change` rolls back and propagates. "not_found" for an unknown property.
   */
  updateProperty(id: string, expectedEtag: string | undefined, change: (p: Property) => Property): Promise<Property>;
  /**
   * Deletes the property with its room types and calendars, after the etag check. Fails with
   * "precondition" while it has a HELD hold or a confirmed stay that has not ended by today
   * at the property (`now` in its time zone).
   */
  delete(id: string, expectedEtag: string | undefined, now: Date): Promise<void>;
  /** The owner's properties, most recently updated first, by keyset on (updated_at, id). */
  listByOwner(ownerId: string, query: ListPropertiesQuery): Promise<PropertyPage>;
}

/**
 * True when holds the property (or one room type, with `roomTypeId`) still depends on exist:
 * HELD holds, or CONFIRMED ones whose check-out is after `today`.
 */
export async function hasLiveHolds(db: Executor, where: { propertyId?: string; roomTypeId?: string }, today: string): Promise<boolean> {
  const scope = where.roomTypeId !== undefined ? eq(holds.roomTypeId, where.roomTypeId) : eq(holds.propertyId, where.propertyId ?? "");
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(holds)
    .where(and(scope, sql`(${holds.status} = 'held' or (${holds.status} = 'confirmed' and ${holds.checkOut} > ${today}::date))`))
    .limit(1);
  return row !== undefined;
}

/** The property store over `db`. */
export function createPropertyStore(db: AccommodationDb): PropertyStore {
  return {
    create(property, request) {
      return writeTransaction(db, async (tx) => {
        const id = randomUUID();
        const earlier = request && (await claimRequestId(tx, request, id, property.createdAt));
        if (earlier) {
          const [row] = await tx.select().from(properties).where(eq(properties.id, earlier));
          if (!row) throw new DomainError("not_found", `property ${earlier}, created by this request_id, has since been deleted`);
          return toProperty(row);
        }
        const [row] = await tx.insert(properties).values({ id, ...propertyColumns(property) }).returning();
        const created = toProperty(row);
        await appendEvents(tx, [{ type: "PropertyCreated", property: created }]);
        return created;
      });
    },

    async get(id) {
      if (!isUuid(id)) return undefined;
      const [row] = await db.select().from(properties).where(eq(properties.id, id));
      return row ? toProperty(row) : undefined;
    },

    async updateProperty(id, expectedEtag, change) {
      if (!isUuid(id)) throw notFound("property", id);
      return writeTransaction(db, async (tx) => {
        const [row] = await tx.select().from(properties).where(eq(properties.id, id)).for("update");
        if (!row) throw notFound("property", id);
        const current = toProperty(row);
        checkEtag(expectedEtag, current, "the property");
        const changed = change(current);
        if (changed === current) return current;
        // Every saved change moves the etag on, whatever `change` did with the counter.
        const next = { ...changed, version: current.version + 1 };
        const [saved] = await tx.update(properties).set(propertyColumns(next)).where(eq(properties.id, id)).returning();
        const after = toProperty(saved);
        await appendEvents(tx, [propertyChanged(current, after)]);
        return after;
      });
    },

    async delete(id, expectedEtag, now) {
      if (!isUuid(id)) throw notFound("property", id);
      await writeTransaction(db, async (tx) => {
        const [row] = await tx.select().from(properties).where(eq(properties.id, id)).for("update");
        if (!row) throw notFound("property", id);
        const current = toProperty(row);
        checkEtag(expectedEtag, current, "the property");
        // Locking the room types first makes a concurrent HoldInventory (which reads its room
        // type FOR SHARE) either finish before this check or find the room type gone.
        await tx.select({ id: roomTypes.id }).from(roomTypes).where(eq(roomTypes.propertyId, id)).for("update");
        if (await hasLiveHolds(tx, { propertyId: id }, localDate(now, current.timeZone))) {
          throw new DomainError("precondition", "the property has holds or stays that have not ended: unpublish it and wait", {
            reason: "PROPERTY_IN_USE",
          });
        }
        await tx.delete(properties).where(eq(properties.id, id));
        // One event: the room types and calendars that went with the property are implied.
        await appendEvents(tx, [{ type: "PropertyDeleted", propertyId: id, ownerId: current.ownerId }]);
      });
    },

    async listByOwner(ownerId, query) {
      if (!isUuid(ownerId)) return { properties: [], nextPageToken: "" };
      const size = pageSize(query.pageSize, DEFAULT_PROPERTY_PAGE_SIZE, MAX_PROPERTY_PAGE_SIZE);
      const filters: SQL[] = [eq(properties.ownerId, ownerId)];
      if (query.status) filters.push(eq(properties.status, query.status));
      // The owner is a parameter too: one host's token must not page another's list.
      const scope = JSON.stringify([ownerId, query.status ?? null]);
      if (query.pageToken) {
        const after = decodePageToken(query.pageToken, "ListMyProperties", scope);
        filters.push(sql`(${properties.updatedAt}, ${properties.id}) < (${timestamptz(after.at)}, ${after.id}::uuid)`);
      }
      // One row more than the page tells whether another page follows.
      const rows = await db
        .select()
        .from(properties)
        .where(and(...filters))
        .orderBy(desc(properties.updatedAt), desc(properties.id))
        .limit(size + 1);
      const page = rows.slice(0, size).map(toProperty);
      const last = page[page.length - 1];
      const nextPageToken = rows.length > size ? encodePageToken({ at: last.updatedAt, id: last.id }, scope) : "";
      return { properties: page, nextPageToken };
    },
  };
}
