import { DomainError } from "@triphub/platform/domain-error";
import { isCurrencyCode, isNightlyAmount } from "./money.js";
import type { Money } from "./money.js";
import { checkPhotos } from "./property.js";
import type { Photo } from "./property.js";
import { isUniqueSubset, violations } from "./validation.js";
import type { Violations } from "./validation.js";
import type { Versioned } from "./version.js";
import { AMENITIES, isBedType } from "./vocabulary.js";
import type { Amenity, BedType } from "./vocabulary.js";

/** Beds of one kind in a unit, e.g. 2 x single. */
export interface Bed {
  type: BedType;
  count: number;
}

/**
 * A kind of room a property sells, with `unitCount` identical units. Inventory and prices are
 * kept per room type and night; where the calendar has no override a night costs `basePrice`,
 * or `weekendPrice` on Friday and Saturday nights when set (`nightPrice`). Its etag is
 * `etagOf(roomType)`.
 */
export interface RoomType extends Versioned {
  id: string;
  propertyId: string;
  name: string;
  description: string;
  /** Most adults one unit sleeps. */
  maxAdults: number;
  /** Most children one unit sleeps in addition to the adults. */
  maxChildren: number;
  beds: Bed[];
  /** Floor area of one unit; 0 when unknown. */
  sizeSqm: number;
  amenities: Amenity[];
  unitCount: number;
  /** One unit, one night; always in the property's currency. */
  basePrice: Money;
  /** One unit, one Friday or Saturday night; undefined: the base price. Same currency. */
  weekendPrice: Money | undefined;
  photos: Photo[];
  createdAt: Date;
  updatedAt: Date;
}

/** A room type before the store has given it an id. */
export type NewRoomType = Omit<RoomType, "id">;

/** Host input for a room type, enumerations as plain strings (see `PropertyInput`). */
export interface RoomTypeInput {
  name: string;
  description?: string;
  maxAdults: number;
  maxChildren?: number;
  beds?: readonly { type: string; count: number }[];
  sizeSqm?: number;
  amenities?: readonly string[];
  unitCount: number;
  basePrice: Money;
  weekendPrice?: Money;
  photos?: readonly Photo[];
}

/** The fields of a room type a host sets. */
export type RoomTypeDetails = Omit<RoomType, "id" | "propertyId" | "version" | "createdAt" | "updatedAt">;

const intIn = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;

// A nightly price of the room type: above zero, in the property's currency.
function checkPrice(v: Violations, price: Money, field: string, currency: string): Money {
  v.check(isNightlyAmount(price.amountMinor) && price.amountMinor > 0, `${field}.amount_minor`, "must be a whole amount above zero");
  const currencyOk = isCurrencyCode(price.currency) && price.currency === currency;
  v.check(currencyOk, `${field}.currency_code`, `must be the property's currency ${currency}`);
  return { amountMinor: price.amountMinor, currency: price.currency };
}

function collect(v: Violations, input: RoomTypeInput, currency: string): RoomTypeDetails {
  const f = (name: string) => `room_type.${name}`;
  const name = input.name.trim();
  const beds = input.beds ?? [];
  const amenities = [...(input.amenities ?? [])];
  const maxChildren = input.maxChildren ?? 0;
  const sizeSqm = input.sizeSqm ?? 0;
  v.check(name.length >= 2 && name.length <= 120, f("name"), "must be 2 to 120 characters");
  v.check((input.description ?? "").length <= 2000, f("description"), "must be at most 2000 characters");
  v.check(intIn(input.maxAdults, 1, 30), f("max_adults"), "must be 1 to 30");
  v.check(intIn(maxChildren, 0, 20), f("max_children"), "must be 0 to 20");
  v.check(beds.length <= 10, f("beds"), "at most 10 kinds of bed");
  beds.forEach((b, i) => {
    v.check(isBedType(b.type), f(`beds[${i}].type`), "must be a known bed type");
    v.check(intIn(b.count, 1, 20), f(`beds[${i}].count`), "must be 1 to 20");
  });
  v.check(intIn(sizeSqm, 0, 10_000), f("size_square_meters"), "must be 0 to 10000");
  v.check(isUniqueSubset(amenities, AMENITIES), f("amenities"), "must be distinct amenities from the vocabulary");
  v.check(intIn(input.unitCount, 0, 1000), f("unit_count"), "must be 0 to 1000");
  const price = checkPrice(v, input.basePrice, f("base_nightly_price"), currency);
  const weekendPrice = input.weekendPrice && checkPrice(v, input.weekendPrice, f("weekend_nightly_price"), currency);
  checkPhotos(v, input.photos ?? [], f("photos"), 30);
  return {
    name,
    description: input.description ?? "",
    maxAdults: input.maxAdults,
    maxChildren,
    beds: beds.map((b) => ({ type: b.type as BedType, count: b.count })),
    sizeSqm,
    amenities: amenities as Amenity[],
    unitCount: input.unitCount,
    basePrice: price,
    weekendPrice,
    photos: (input.photos ?? []).map((p) => ({ url: p.url, caption: p.caption })),
  };
}

/** Validates room-type input against the property's `currency`; throws "invalid" listing every violation. */
export function validateRoomTypeDetails(input: RoomTypeInput, currency: string): RoomTypeDetails {
  const v = violations();
  const details = collect(v, input, currency);
  v.throwIfAny();
  return details;
}

/** A new room type of `property`, created at `now`. A new room type needs at least one unit. */
export function newRoomType(input: RoomTypeInput, property: { id: string; currency: string }, now: Date): NewRoomType {
  const v = violations();
  const details = collect(v, input, property.currency);
  v.check(input.unitCount >= 1, "room_type.unit_count", "must be at least 1");
  v.throwIfAny();
  return { ...details, propertyId: property.id, version: 1, createdAt: now, updatedAt: now };
}

/**
 * Refuses to lower the unit count below the units already held or booked on some night that
 * has not passed (`committed`: the most held + booked over those nights), FAILED_PRECONDITION
 * as the contract says: the request is fine, the inventory is not in a state that allows it.
 */
export function checkUnitCount(unitCount: number, committed: { night: string; units: number } | undefined): void {
  if (committed === undefined || unitCount >= committed.units) return;
  throw new DomainError(
    "precondition",
    `unit_count ${unitCount} is below the ${committed.units} units held or booked on ${committed.night}`,
    { violations: [{ field: "room_type.unit_count", description: `at least ${committed.units} units are committed on ${committed.night}` }] },
  );
}

/** How many guests `units` units of a room type can take: adults need adult beds; children may use either. */
export function fitsParty(room: Pick<RoomType, "maxAdults" | "maxChildren">, units: number, guests: { adults: number; children: number }): boolean {
  return guests.adults <= room.maxAdults * units && guests.adults + guests.children <= (room.maxAdults + room.maxChildren) * units;
}
