import { create } from "@bufbuild/protobuf";
import {
  type AccommodationSummary,
  AccommodationSummarySchema,
  OfferUnavailableReason,
  type RoomOffer as ProtoRoomOffer,
  RoomOfferSchema,
  type SearchAccommodationsRequest,
  type SearchResult,
  SearchResultSchema,
  SearchSort as ProtoSort,
} from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import { invalid } from "@triphub/platform";
import { freeCancellationUntil, localTimeToInstant } from "@triphub/platform/stay-rules";
import type { OfferUnavailable, RoomOffer } from "../domain/offer.js";
import type { SearchInput, SearchLocation, SearchQuery, SearchSort } from "../domain/search.js";
import { isAmenity, isPropertyType } from "../domain/vocabulary.js";
import type { SearchHit } from "../store/search/index.js";
import { fromProtoMoney, toProtoMoney, toProtoStayPrice, toProtoTime } from "./common.js";
import { amenities, cancellationPolicies, propertyTypes } from "./enums.js";

function sortFromProto(s: ProtoSort): SearchSort {
  switch (s) {
    case ProtoSort.UNSPECIFIED:
    case ProtoSort.RELEVANCE:
      return "relevance";
    case ProtoSort.PRICE_ASC:
      return "price_asc";
    case ProtoSort.PRICE_DESC:
      return "price_desc";
    case ProtoSort.RATING_DESC:
      return "rating_desc";
    case ProtoSort.DISTANCE_ASC:
      return "distance_asc";
    default: {
      const _x: never = s;
      throw invalid("sort", `unknown sort ${String(_x)}`);
    }
  }
}

function locationFromProto(l: SearchAccommodationsRequest["location"]): SearchLocation {
  switch (l.case) {
    case undefined:
      return { kind: "anywhere" };
    case "destination":
      if (l.value.trim() === "") throw invalid("destination", "must not be blank");
      return { kind: "text", text: l.value };
    case "near": {
      const c = l.value.center;
      if (!c) throw invalid("near.center", "is required");
      return { kind: "near", latitude: c.latitude, longitude: c.longitude, radiusKm: l.value.radiusKm };
    }
    default: {
      const _x: never = l;
      throw new Error(`unknown location ${String(_x)}`);
    }
  }
}

/** A SearchAccommodations request as the domain checks it; unknown enum values are INVALID_ARGUMENT. */
export function searchInputFromProto(req: SearchAccommodationsRequest): SearchInput {
  const types = req.propertyTypes.map(propertyTypes.fromProto);
  const wanted = req.amenities.map(amenities.fromProto);
  if (!types.every(isPropertyType)) throw invalid("property_types", "must be known property types");
  if (!wanted.every(isAmenity)) throw invalid("amenities", "must be amenities from the vocabulary");
  return {
    location: locationFromProto(req.location),
    countryCode: req.countryCode,
    checkIn: req.checkIn,
    checkOut: req.checkOut,
    adults: req.adults,
    children: req.children,
    rooms: req.rooms,
    minPrice: req.minNightlyPrice && fromProtoMoney(req.minNightlyPrice, "min_nightly_price"),
    maxPrice: req.maxNightlyPrice && fromProtoMoney(req.maxNightlyPrice, "max_nightly_price"),
    types,
    amenities: wanted,
    minRating: req.minRating,
    freeCancellationOnly: req.freeCancellationOnly,
    sort: sortFromProto(req.sort),
    pageSize: req.pageSize,
    pageToken: req.pageToken,
  };
}

function toProtoSummary(h: SearchHit): AccommodationSummary {
  const p = h.property;
  return create(AccommodationSummarySchema, {
    propertyId: p.id,
    name: p.name,
    propertyType: propertyTypes.toProto(p.type),
    starRating: p.starRating,
    city: p.city,
    region: p.region,
    countryCode: p.countryCode,
    location: { latitude: p.latitude, longitude: p.longitude },
    coverPhoto: p.coverPhoto && { url: p.coverPhoto.url, caption: p.coverPhoto.caption },
    ratingSummary: { average: p.ratingSummary.average, count: p.ratingSummary.count, rankingScore: p.ratingSummary.rankingScore },
    cancellationPolicy: cancellationPolicies.toProto(p.cancellationPolicy),
    lowestNightlyPrice: p.lowestNightlyPrice && toProtoMoney(p.lowestNightlyPrice),
    amenities: p.amenities.map(amenities.toProto),
  });
}

/** One hit in the contract's form; the offer only with dates. */
export function toProtoSearchResult(h: SearchHit, q: SearchQuery, now: Date): SearchResult {
  const o = h.offer;
  const d = q.dates;
  const bestOffer =
    d === undefined || o.price === undefined
      ? undefined
      : create(RoomOfferSchema, {
          roomTypeId: o.roomTypeId,
          roomTypeName: o.roomTypeName,
          units: o.units,
          available: true,
          remainingUnits: o.remainingUnits,
          price: toProtoStayPrice(o.price),
          freeCancellationUntil: toProtoTime(
            freeCancellationUntil(
              h.property.cancellationPolicy,
              now,
              localTimeToInstant(d.checkIn, h.property.checkInTime || "00:00", h.property.timeZone),
            ),
          ),
        });
  return create(SearchResultSchema, { accommodation: toProtoSummary(h), bestOffer, distanceKm: h.distanceKm });
}

function reasonToProto(r: OfferUnavailable | undefined): OfferUnavailableReason {
  switch (r) {
    case undefined:
      return OfferUnavailableReason.UNSPECIFIED;
    case "sold_out":
      return OfferUnavailableReason.SOLD_OUT;
    case "stay_restricted":
      return OfferUnavailableReason.STAY_RESTRICTED;
    case "occupancy_exceeded":
      return OfferUnavailableReason.OCCUPANCY_EXCEEDED;
    default: {
      const _x: never = r;
      throw new Error(`unknown unavailable reason ${String(_x)}`);
    }
  }
}

/** A room offer of GetAccommodation in the contract's form. */
export function toProtoRoomOffer(o: RoomOffer): ProtoRoomOffer {
  return create(RoomOfferSchema, {
    roomTypeId: o.roomTypeId,
    roomTypeName: o.roomTypeName,
    units: o.units,
    available: o.available,
    unavailableReason: reasonToProto(o.unavailableReason),
    remainingUnits: o.remainingUnits,
    price: toProtoStayPrice(o.price),
    freeCancellationUntil: toProtoTime(o.freeCancellationUntil),
  });
}
