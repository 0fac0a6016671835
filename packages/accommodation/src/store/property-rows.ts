import { isCancellationPolicy } from "@triphub/platform/stay-rules";
import type { NewProperty, Property, PropertyStatus } from "../domain/property.js";
import { isAmenity, isPropertyType } from "../domain/vocabulary.js";
import type { properties } from "./schema.js";

type PropertyRow = typeof properties.$inferSelect;
type PropertyInsert = typeof properties.$inferInsert;

function narrow<T extends string>(value: string, ok: (v: string) => v is T, what: string): T {
  if (!ok(value)) throw new Error(`stored ${what} ${value} is not known to this version`);
  return value;
}

const isStatus = (v: string): v is PropertyStatus => v === "draft" || v === "listed" || v === "unlisted";

/** A stored row as a domain property. */
export function toProperty(row: PropertyRow): Property {
  return {
    id: row.id,
    ownerId: row.ownerId,
    name: row.name,
    description: row.description,
    type: narrow(row.propertyType, isPropertyType, "property type"),
    address: {
      line1: row.addressLine1,
      line2: row.addressLine2,
      city: row.city,
      region: row.region,
      postalCode: row.postalCode,
      countryCode: row.countryCode,
      latitude: row.latitude,
      longitude: row.longitude,
    },
    // An amenity added by a newer version is dropped rather than failing the whole read.
    amenities: row.amenities.filter(isAmenity),
    photos: row.photos,
    houseRules: row.houseRules,
    checkInTime: row.checkInTime,
    checkOutTime: row.checkOutTime,
    timeZone: row.timeZone,
    currency: row.currency,
    cancellationPolicy: narrow(row.cancellationPolicy, isCancellationPolicy, "cancellation policy"),
    status: narrow(row.status, isStatus, "status"),
    starRating: row.starRating,
    ratingSummary: { average: row.ratingAverage, count: row.ratingCount, rankingScore: row.ratingScore },
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    publishedAt: row.publishedAt ?? undefined,
  };
}

/** The columns of a property (all but the id and the generated search vector). */
export function propertyColumns(p: NewProperty): Omit<PropertyInsert, "id" | "search"> {
  return {
    ownerId: p.ownerId,
    name: p.name,
    description: p.description,
    propertyType: p.type,
    addressLine1: p.address.line1,
    addressLine2: p.address.line2,
    city: p.address.city,
    region: p.address.region,
    postalCode: p.address.postalCode,
    countryCode: p.address.countryCode,
    latitude: p.address.latitude,
    longitude: p.address.longitude,
    amenities: p.amenities,
    photos: p.photos,
    houseRules: p.houseRules,
    checkInTime: p.checkInTime,
    checkOutTime: p.checkOutTime,
    timeZone: p.timeZone,
    currency: p.currency,
    cancellationPolicy: p.cancellationPolicy,
    status: p.status,
    starRating: p.starRating,
    ratingAverage: p.ratingSummary.average,
    ratingCount: p.ratingSummary.count,
    ratingScore: p.ratingSummary.rankingScore,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    publishedAt: p.publishedAt ?? null,
  };
}
