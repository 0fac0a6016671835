import type { NewRoomType, RoomType } from "../domain/room-type.js";
import { isAmenity } from "../domain/vocabulary.js";
import type { roomTypes } from "./schema.js";

type RoomTypeRow = typeof roomTypes.$inferSelect;

/** A stored row as a domain room type. */
export function toRoomType(row: RoomTypeRow): RoomType {
  return {
    id: row.id,
    propertyId: row.propertyId,
    name: row.name,
    description: row.description,
    maxAdults: row.maxAdults,
    maxChildren: row.maxChildren,
    beds: row.beds,
    sizeSqm: row.sizeSqm,
    amenities: row.amenities.filter(isAmenity),
    unitCount: row.unitCount,
    basePrice: { amountMinor: row.basePriceMinor, currency: row.currency },
    weekendPrice: row.weekendPriceMinor === null ? undefined : { amountMinor: row.weekendPriceMinor, currency: row.currency },
    photos: row.photos,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The columns of a room type, all but its id. */
export function roomTypeColumns(r: NewRoomType): Omit<typeof roomTypes.$inferInsert, "id"> {
  return {
    propertyId: r.propertyId,
    name: r.name,
    description: r.description,
    maxAdults: r.maxAdults,
    maxChildren: r.maxChildren,
    beds: r.beds,
    sizeSqm: r.sizeSqm,
    amenities: r.amenities,
    unitCount: r.unitCount,
    basePriceMinor: r.basePrice.amountMinor,
    weekendPriceMinor: r.weekendPrice?.amountMinor ?? null,
    currency: r.basePrice.currency,
    photos: r.photos,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
