import { create } from "@bufbuild/protobuf";
import {
  type Address as ProtoAddress,
  AddressSchema,
  type Property as ProtoProperty,
  PropertySchema,
} from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { invalid } from "@triphub/platform";
import type { Address, Property, PropertyInput } from "../domain/property.js";
import type { PropertyPatch } from "../domain/property-patch.js";
import { etagOf } from "../domain/version.js";
import { fromProtoPhotos, toProtoPhotos, toProtoTime } from "./common.js";
import { amenities, cancellationPolicies, propertyStatusToProto, propertyTypes } from "./enums.js";

function toProtoAddress(a: Address): ProtoAddress {
  return create(AddressSchema, {
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    countryCode: a.countryCode,
    location: { latitude: a.latitude, longitude: a.longitude },
  });
}

function fromProtoAddress(a: ProtoAddress): Address {
  return {
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    countryCode: a.countryCode,
    // A missing location is refused by the request rules; NaN makes the domain say so too.
    latitude: a.location?.latitude ?? Number.NaN,
    longitude: a.location?.longitude ?? Number.NaN,
  };
}

/**
 * The host's full record of a property, with its etag. `lowest_nightly_price` is left unset:
 * it is a search concern, filled in by the guest-facing reads.
 */
export function toProtoProperty(p: Property): ProtoProperty {
  return create(PropertySchema, {
    propertyId: p.id,
    ownerId: p.ownerId,
    name: p.name,
    description: p.description,
    propertyType: propertyTypes.toProto(p.type),
    address: toProtoAddress(p.address),
    amenities: p.amenities.map(amenities.toProto),
    photos: toProtoPhotos(p.photos),
    houseRules: [...p.houseRules],
    checkInTime: p.checkInTime,
    checkOutTime: p.checkOutTime,
    timeZone: p.timeZone,
    currencyCode: p.currency,
    cancellationPolicy: cancellationPolicies.toProto(p.cancellationPolicy),
    status: propertyStatusToProto(p.status),
    starRating: p.starRating,
    ratingSummary: { average: p.ratingSummary.average, count: p.ratingSummary.count, rankingScore: p.ratingSummary.rankingScore },
    etag: etagOf(p),
    createTime: toProtoTime(p.createdAt),
    updateTime: toProtoTime(p.updatedAt),
    publishTime: toProtoTime(p.publishedAt),
  });
}

/** CreateProperty's property as domain input; output-only fields are ignored. */
export function propertyInputFromProto(p: ProtoProperty): PropertyInput & { currency: string } {
  if (!p.address) throw invalid("property.address", "is required");
  return {
    ...propertyPatchFromProto(p),
    name: p.name,
    type: propertyTypes.fromProto(p.propertyType),
    address: fromProtoAddress(p.address),
    timeZone: p.timeZone,
    cancellationPolicy: cancellationPolicies.fromProto(p.cancellationPolicy),
    currency: p.currencyCode,
  };
}

/**
 * UpdateProperty's new values. Every field is passed as sent (proto3 has no "unset" for
 * scalars): `applyPropertyPatch` decides with the mask which apply and treats empty values as
 * "not populated" when there is no mask.
 */
export function propertyPatchFromProto(p: ProtoProperty): PropertyPatch {
  return {
    name: p.name,
    description: p.description,
    type: propertyTypes.fromProto(p.propertyType),
    address: p.address && fromProtoAddress(p.address),
    amenities: p.amenities.map(amenities.fromProto),
    photos: fromProtoPhotos(p.photos),
    houseRules: p.houseRules,
    checkInTime: p.checkInTime,
    checkOutTime: p.checkOutTime,
    timeZone: p.timeZone,
    cancellationPolicy: cancellationPolicies.fromProto(p.cancellationPolicy),
    starRating: p.starRating,
  };
}
