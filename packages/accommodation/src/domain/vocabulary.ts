/**
 * The fixed vocabularies of the accommodation contract, as string literal unions. Each value is
 * the proto enum value's name without its prefix, in lower case (`AMENITY_FREE_PARKING` is
 * "free_parking"), so the service maps them mechanically. New values go at the end, as in the
 * proto.
 */

/** Facilities of a property or a room type (proto `Amenity`). */
export const AMENITIES = [
  "wifi", "free_parking", "paid_parking", "pool", "fitness_center", "spa", "sauna", "hot_tub",
  "restaurant", "bar", "breakfast_included", "room_service", "front_desk_24h", "self_check_in",
  "concierge", "luggage_storage", "elevator", "wheelchair_accessible", "airport_shuttle",
  "ev_charger", "pet_friendly", "non_smoking", "family_friendly", "laundry_service", "garden",
  "bbq_grill", "beachfront", "ocean_view", "mountain_view", "air_conditioning", "heating",
  "ondol", "kitchen", "kitchenette", "washer", "dryer", "tv", "workspace", "private_bathroom",
  "shared_bathroom", "bathtub", "balcony", "minibar", "safe", "hair_dryer", "iron", "crib",
  "soundproof",
] as const;
/** One facility from {@link AMENITIES}. */
export type Amenity = (typeof AMENITIES)[number];

/** Kinds of place (proto `PropertyType`). */
export const PROPERTY_TYPES = [
  "hotel", "guesthouse", "apartment", "hanok", "resort", "hostel", "villa", "motel", "pension",
  "bed_and_breakfast", "ryokan", "house", "cabin", "glamping",
] as const;
/** One kind of place from {@link PROPERTY_TYPES}. */
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** Kinds of bed (proto `BedType`). */
export const BED_TYPES = [
  "single", "super_single", "double", "queen", "king", "sofa_bed", "bunk", "futon", "floor_mattress",
] as const;
/** One kind of bed from {@link BED_TYPES}. */
export type BedType = (typeof BED_TYPES)[number];

/** True when `value` is in the amenity vocabulary; narrows strings read from storage. */
export function isAmenity(value: string): value is Amenity {
  return (AMENITIES as readonly string[]).includes(value);
}

/** True when `value` is a known property type. */
export function isPropertyType(value: string): value is PropertyType {
  return (PROPERTY_TYPES as readonly string[]).includes(value);
}

/** True when `value` is a known bed type. */
export function isBedType(value: string): value is BedType {
  return (BED_TYPES as readonly string[]).includes(value);
}
