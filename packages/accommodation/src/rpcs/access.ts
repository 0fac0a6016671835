import type { HandlerContext } from "@connectrpc/connect";
import { DomainError, notFound, requireIdentity } from "@triphub/platform";
import { type Actor, canEdit, canView, isAdmin } from "../domain/access.js";
import { localDate } from "../domain/dates.js";
import type { Property } from "../domain/property.js";
import type { RoomType } from "../domain/room-type.js";
import type { PropertyStore } from "../store/property-store.js";
import type { RoomTypeStore } from "../store/room-type-store.js";

/** What a host RPC may do with a property: read the host's record, or change it. */
export type Intent = "read" | "edit";

/** The stores and clock the host RPCs share. */
export interface HostDeps {
  properties: PropertyStore;
  roomTypes: RoomTypeStore;
  now: () => Date;
}

/**
 * Access to properties for the host RPCs, in the order AIP-211 asks for: a caller who may not
 * even see the property (someone else's draft or unlisted one) gets NOT_FOUND, so ids reveal
 * nothing; one who may see it (a listed property) but is not its owner or an admin gets
 * PERMISSION_DENIED. Reading the host's record needs the owner or an admin; changing it also
 * needs the owner to still hold HOST. Owners never change, so checking before the store's own
 * transaction cannot go stale.
 */
export function createAccess(d: HostDeps) {
  async function property(ctx: HandlerContext, propertyId: string, intent: Intent): Promise<{ actor: Actor; property: Property }> {
    const actor = requireIdentity(ctx);
    const found = await d.properties.get(propertyId);
    if (!found || !canView(actor, found)) throw notFound("property", propertyId);
    const allowed = intent === "edit" ? canEdit(actor, found) : isAdmin(actor) || actor.userId === found.ownerId;
    if (!allowed) throw new DomainError("forbidden", "only the property's host or an admin may do this");
    return { actor, property: found };
  }

  async function roomType(ctx: HandlerContext, propertyId: string, roomTypeId: string, intent: Intent): Promise<{ property: Property; roomType: RoomType }> {
    const owned = await property(ctx, propertyId, intent);
    const found = await d.roomTypes.get(roomTypeId);
    if (!found || found.propertyId !== owned.property.id) throw notFound("room type", roomTypeId);
    return { property: owned.property, roomType: found };
  }

  return {
    property,
    roomType,
    /** The date it is now at the property: nights before it are past and read-only. */
    today: (p: Property) => localDate(d.now(), p.timeZone),
  };
}

/** Property and room-type access checks of one service instance. */
export type Access = ReturnType<typeof createAccess>;
