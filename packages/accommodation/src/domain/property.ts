import { CANCELLATION_POLICIES, type CancellationPolicy } from "@triphub/platform/stay-rules";
import { isClockTime, isTimeZone } from "./dates.js";
import { isCurrencyCode } from "./money.js";
import { isUniqueSubset, violations } from "./validation.js";
import type { Violations } from "./validation.js";
import type { Versioned } from "./version.js";
import { AMENITIES, isPropertyType } from "./vocabulary.js";
import type { Amenity, PropertyType } from "./vocabulary.js";

/** Whether guests can find and book a property. */
export type PropertyStatus = "draft" | "listed" | "unlisted";

/** Where a property is; latitude and longitude are WGS 84 degrees. */
export interface Address {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode: string;
  latitude: number;
  longitude: number;
}

/** A photo hosted elsewhere (https URL) with its alt text. */
export interface Photo {
  url: string;
  caption: string;
}

/**
 * The review service's figures for a property: mean overall rating (1.0-5.0, 0 without
 * reviews), how many reviews it counts, and its ranking score (a Bayesian average, 0 without
 * reviews), which the rating sort orders by.
 */
export interface RatingSummary {
  average: number;
  count: number;
  rankingScore: number;
}

/** The fields a host sets: what CreateProperty takes and UpdateProperty may change. */
export interface PropertyDetails {
  name: string;
  description: string;
  type: PropertyType;
  address: Address;
  amenities: Amenity[];
  /** In display order; the first is the cover. */
  photos: Photo[];
  houseRules: string[];
  /** Local "HH:MM" in `timeZone`; "" until the host sets it (needed to publish). */
  checkInTime: string;
  checkOutTime: string;
  /** IANA name; dates of stay and check-in/out times are local to it. */
  timeZone: string;
  cancellationPolicy: CancellationPolicy;
  /** Official class, 1-5; 0 when unclassified. */
  starRating: number;
}

/** A place to stay that a host lists. Its etag is `etagOf(property)`. */
export interface Property extends PropertyDetails, Versioned {
  id: string;
  ownerId: string;
  /** ISO 4217; every price of the property is in it. Fixed at creation. */
  currency: string;
  status: PropertyStatus;
  ratingSummary: RatingSummary;
  createdAt: Date;
  updatedAt: Date;
  /** When it was last published; undefined if it never was. */
  publishedAt: Date | undefined;
}

/** A property before the store has given it an id. */
export type NewProperty = Omit<Property, "id">;

/**
 * Host input before validation: enumerations are plain strings here so that an unknown value
 * (a new amenity an old service does not know) is a field violation, not a type error.
 */
export interface PropertyInput {
  name: string;
  description?: string;
  type: string;
  address: Address;
  amenities?: readonly string[];
  photos?: readonly Photo[];
  houseRules?: readonly string[];
  checkInTime?: string;
  checkOutTime?: string;
  timeZone: string;
  cancellationPolicy: string;
  starRating?: number;
}

function checkAddress(v: Violations, a: Address, f: string): void {
  v.check(a.line1.trim().length >= 1 && a.line1.length <= 200, `${f}.line1`, "must be 1 to 200 characters");
  v.check(a.line2.length <= 200, `${f}.line2`, "must be at most 200 characters");
  v.check(a.city.trim().length >= 1 && a.city.length <= 100, `${f}.city`, "must be 1 to 100 characters");
  v.check(a.region.length <= 100, `${f}.region`, "must be at most 100 characters");
  v.check(a.postalCode.length <= 20, `${f}.postal_code`, "must be at most 20 characters");
  v.check(/^[A-Z]{2}$/.test(a.countryCode), `${f}.country_code`, "must be an ISO 3166-1 alpha-2 code");
  const latOk = Number.isFinite(a.latitude) && a.latitude >= -90 && a.latitude <= 90;
  const lngOk = Number.isFinite(a.longitude) && a.longitude >= -180 && a.longitude <= 180;
  v.check(latOk, `${f}.location.latitude`, "must be between -90 and 90");
  v.check(lngOk, `${f}.location.longitude`, "must be between -180 and 180");
}

/** True for an https URL no longer than 2048 characters. */
export function isPhotoUrl(url: string): boolean {
  if (!url.startsWith("https://") || url.length > 2048) return false;
  return URL.canParse(url);
}

/** Checks the shape of photos (https URLs, captions up to 200 characters, at most `max`). */
export function checkPhotos(v: Violations, photos: readonly Photo[], field: string, max: number): void {
  v.check(photos.length <= max, field, `at most ${max} photos`);
  photos.forEach((p, i) => {
    v.check(isPhotoUrl(p.url), `${field}[${i}].url`, "must be an https URL");
    v.check(p.caption.length <= 200, `${field}[${i}].caption`, "must be at most 200 characters");
  });
}

// Records every violation in `v` and returns the input trimmed and narrowed; the result is
// only meaningful once `v.throwIfAny()` has passed.
function collectDetails(v: Violations, input: PropertyInput, prefix: string): PropertyDetails {
  const f = (name: string) => `${prefix}.${name}`;
  const name = input.name.trim();
  const description = input.description ?? "";
  const amenities = [...(input.amenities ?? [])];
  const houseRules = (input.houseRules ?? []).map((r) => r.trim());
  const checkInTime = input.checkInTime ?? "";
  const checkOutTime = input.checkOutTime ?? "";
  const starRating = input.starRating ?? 0;
  v.check(name.length >= 2 && name.length <= 120, f("name"), "must be 2 to 120 characters");
  v.check(description.length <= 5000, f("description"), "must be at most 5000 characters");
  v.check(isPropertyType(input.type), f("property_type"), "must be a known property type");
  checkAddress(v, input.address, f("address"));
  v.check(amenities.length <= 100, f("amenities"), "at most 100 amenities");
  v.check(isUniqueSubset(amenities, AMENITIES), f("amenities"), "must be distinct amenities from the vocabulary");
  checkPhotos(v, input.photos ?? [], f("photos"), 50);
  v.check(houseRules.length <= 30, f("house_rules"), "at most 30 rules");
  v.check(houseRules.every((r) => r.length >= 1 && r.length <= 300), f("house_rules"), "each must be 1 to 300 characters");
  v.check(checkInTime === "" || isClockTime(checkInTime), f("check_in_time"), "must be HH:MM (24-hour)");
  v.check(checkOutTime === "" || isClockTime(checkOutTime), f("check_out_time"), "must be HH:MM (24-hour)");
  v.check(isTimeZone(input.timeZone), f("time_zone"), "must be an IANA time zone");
  const policyOk = (CANCELLATION_POLICIES as readonly string[]).includes(input.cancellationPolicy);
  v.check(policyOk, f("cancellation_policy"), "must be a known cancellation policy");
  v.check(Number.isInteger(starRating) && starRating >= 0 && starRating <= 5, f("star_rating"), "must be 0 to 5");
  return {
    name,
    description,
    type: input.type as PropertyType,
    address: { ...input.address, line1: input.address.line1.trim(), city: input.address.city.trim() },
    amenities: amenities as Amenity[],
    photos: (input.photos ?? []).map((p) => ({ url: p.url, caption: p.caption })),
    houseRules,
    checkInTime,
    checkOutTime,
    timeZone: input.timeZone,
    cancellationPolicy: input.cancellationPolicy as CancellationPolicy,
    starRating,
  };
}

/**
 * Validates host input (field names as in the proto, under `prefix`) and returns it trimmed
 * and narrowed. Throws one "invalid" DomainError listing every violation.
 */
export function validatePropertyDetails(input: PropertyInput, prefix = "property"): PropertyDetails {
  const v = violations();
  const details = collectDetails(v, input, prefix);
  v.throwIfAny();
  return details;
}

/** A new DRAFT property owned by `ownerId`, created at `now`; invalid input throws "invalid". */
export function newProperty(input: PropertyInput & { currency: string }, ownerId: string, now: Date): NewProperty {
  const v = violations();
  const details = collectDetails(v, input, "property");
  v.check(isCurrencyCode(input.currency), "property.currency_code", "must be an ISO 4217 code");
  v.throwIfAny();
  return {
    ...details,
    ownerId,
    currency: input.currency,
    status: "draft",
    ratingSummary: { average: 0, count: 0, rankingScore: 0 },
    version: 1,
    createdAt: now,
    updatedAt: now,
    publishedAt: undefined,
  };
}
