import { DomainError, invalid } from "@triphub/platform/domain-error";
import { validatePropertyDetails } from "./property.js";
import type { Address, Photo, Property, PropertyDetails, PropertyInput } from "./property.js";
import { touch } from "./version.js";

/** New values for UpdateProperty; which of them apply is decided by the update mask. */
export interface PropertyPatch {
  name?: string;
  description?: string;
  type?: string;
  address?: Address;
  amenities?: readonly string[];
  photos?: readonly Photo[];
  houseRules?: readonly string[];
  checkInTime?: string;
  checkOutTime?: string;
  timeZone?: string;
  cancellationPolicy?: string;
  starRating?: number;
}

/** Update-mask paths (proto field names) `applyPropertyPatch` accepts. Status and currency are not among them. */
export const PROPERTY_PATHS = [
  "name", "description", "property_type", "address", "amenities", "photos", "house_rules",
  "check_in_time", "check_out_time", "time_zone", "cancellation_policy", "star_rating",
] as const;
/** One path from {@link PROPERTY_PATHS}. */
export type PropertyPath = (typeof PROPERTY_PATHS)[number];

// These have no meaningful empty value: naming one in the mask without a value is an error.
const NOT_CLEARABLE: readonly PropertyPath[] = ["name", "property_type", "address", "time_zone", "cancellation_policy"];

function isPropertyPath(path: string): path is PropertyPath {
  return (PROPERTY_PATHS as readonly string[]).includes(path);
}

function isSet(patch: PropertyPatch, path: PropertyPath): boolean {
  switch (path) {
    case "name": return (patch.name ?? "") !== "";
    case "description": return (patch.description ?? "") !== "";
    case "property_type": return (patch.type ?? "") !== "";
    case "address": return patch.address !== undefined;
    case "amenities": return (patch.amenities ?? []).length > 0;
    case "photos": return (patch.photos ?? []).length > 0;
    case "house_rules": return (patch.houseRules ?? []).length > 0;
    case "check_in_time": return (patch.checkInTime ?? "") !== "";
    case "check_out_time": return (patch.checkOutTime ?? "") !== "";
    case "time_zone": return (patch.timeZone ?? "") !== "";
    case "cancellation_policy": return (patch.cancellationPolicy ?? "") !== "";
    case "star_rating": return (patch.starRating ?? 0) !== 0;
    default: {
      const _x: never = path;
      throw new Error(`unknown property path ${String(_x)}`);
    }
  }
}

// Writes the patch's value for `path` (its empty value when unset) into the input.
function setPath(input: PropertyInput, patch: PropertyPatch, path: PropertyPath): PropertyInput {
  switch (path) {
    case "name": return { ...input, name: patch.name ?? "" };
    case "description": return { ...input, description: patch.description ?? "" };
    case "property_type": return { ...input, type: patch.type ?? "" };
    case "address": return patch.address ? { ...input, address: patch.address } : input;
    case "amenities": return { ...input, amenities: patch.amenities ?? [] };
    case "photos": return { ...input, photos: patch.photos ?? [] };
    case "house_rules": return { ...input, houseRules: patch.houseRules ?? [] };
    case "check_in_time": return { ...input, checkInTime: patch.checkInTime ?? "" };
    case "check_out_time": return { ...input, checkOutTime: patch.checkOutTime ?? "" };
    case "time_zone": return { ...input, timeZone: patch.timeZone ?? "" };
    case "cancellation_policy": return { ...input, cancellationPolicy: patch.cancellationPolicy ?? "" };
    case "star_rating": return { ...input, starRating: patch.starRating ?? 0 };
    default: {
      const _x: never = path;
      throw new Error(`unknown property path ${String(_x)}`);
    }
  }
}

/** The paths a patch touches: the mask's (`*` = all), or the fields the caller populated. */
function pathsToApply(patch: PropertyPatch, mask: readonly string[] | undefined): PropertyPath[] {
  // AIP-134: an absent (or empty) mask means "every field the caller populated".
  if (mask === undefined || mask.length === 0) return PROPERTY_PATHS.filter((p) => isSet(patch, p));
  if (mask.includes("*")) return [...PROPERTY_PATHS];
  const bad = mask.filter((p) => !isPropertyPath(p));
  if (bad.length > 0) {
    const description = `only ${PROPERTY_PATHS.join(", ")} may be updated`;
    throw new DomainError("invalid", `update_mask: ${bad.join(", ")} cannot be updated`, {
      violations: bad.map((p) => ({ field: `update_mask.paths[${mask.indexOf(p)}]`, description })),
    });
  }
  return PROPERTY_PATHS.filter((p) => mask.includes(p));
}

/** The top-level proto field names whose values differ between two versions of a property. */
export function changedPropertyFields(before: PropertyDetails, after: PropertyDetails): PropertyPath[] {
  const value: Record<PropertyPath, (d: PropertyDetails) => unknown> = {
    name: (d) => d.name,
    description: (d) => d.description,
    property_type: (d) => d.type,
    address: (d) => d.address,
    amenities: (d) => d.amenities,
    photos: (d) => d.photos,
    house_rules: (d) => d.houseRules,
    check_in_time: (d) => d.checkInTime,
    check_out_time: (d) => d.checkOutTime,
    time_zone: (d) => d.timeZone,
    cancellation_policy: (d) => d.cancellationPolicy,
    star_rating: (d) => d.starRating,
  };
  return PROPERTY_PATHS.filter((p) => JSON.stringify(value[p](before)) !== JSON.stringify(value[p](after)));
}

/**
 * Applies an UpdateProperty (AIP-134). With a mask, exactly the masked fields are set, so an
 * empty value clears description, amenities, photos, house rules, times or star rating; name,
 * property type, address, time zone and cancellation policy cannot be cleared. Without a mask,
 * only populated fields apply. The result is validated like a new property. Returns `property`
 * itself when nothing changed, else the next version stamped `now`.
 */
export function applyPropertyPatch(
  property: Property,
  patch: PropertyPatch,
  mask: readonly string[] | undefined,
  now: Date,
): Property {
  let input: PropertyInput = property;
  for (const path of pathsToApply(patch, mask)) {
    if (NOT_CLEARABLE.includes(path) && !isSet(patch, path)) throw invalid(`property.${path}`, "cannot be cleared");
    input = setPath(input, patch, path);
  }
  const details = validatePropertyDetails(input);
  if (changedPropertyFields(property, details).length === 0) return property;
  return touch({ ...property, ...details }, now);
}
