import { isUuid } from "@triphub/platform/ids";
import { decodeKeysetToken, encodeKeysetToken } from "@triphub/platform/page-token";
import { daysBetween, isCalendarDate, localDate } from "./dates.js";
import type { Money } from "./money.js";
import { MAX_STAY_NIGHTS } from "./stay.js";
import { violations } from "./validation.js";
import type { Amenity, PropertyType } from "./vocabulary.js";

/** Orders of search results (proto `SearchSort`). */
export type SearchSort = "relevance" | "price_asc" | "price_desc" | "rating_desc" | "distance_asc";

/** Where to look: a city/region text, a circle on the map, or anywhere. */
export type SearchLocation =
  | { kind: "anywhere" }
  | { kind: "text"; text: string }
  | { kind: "near"; latitude: number; longitude: number; radiusKm: number };

/** A checked guest search. */
export interface SearchQuery {
  location: SearchLocation;
  countryCode: string | undefined;
  /** Both set or both undefined; check-out after check-in, at most 30 nights. */
  dates: { checkIn: string; checkOut: string; nights: number } | undefined;
  adults: number;
  children: number;
  units: number;
  /** The nightly price filter: limits on one unit's average nightly price, in `currency`. */
  price: { currency: string; minMinor: number | undefined; maxMinor: number | undefined } | undefined;
  types: PropertyType[];
  amenities: Amenity[];
  /** 0: no bound. */
  minRating: number;
  freeCancellationOnly: boolean;
  sort: SearchSort;
  pageSize: number;
  /** Where the previous page stopped; undefined on the first page. */
  after: SearchCursor | undefined;
}

/** Unchecked search input (from the proto, already shape-checked by the request rules). */
export interface SearchInput {
  location: SearchLocation;
  countryCode: string;
  checkIn: string;
  checkOut: string;
  adults: number;
  children: number;
  rooms: number;
  minPrice: Money | undefined;
  maxPrice: Money | undefined;
  types: PropertyType[];
  amenities: Amenity[];
  minRating: number;
  freeCancellationOnly: boolean;
  sort: SearchSort;
  pageSize: number;
  pageToken: string;
}

/** SearchAccommodations page size when the caller asks for 0. */
export const DEFAULT_SEARCH_PAGE_SIZE = 20;
/** The largest page. */
export const MAX_SEARCH_PAGE_SIZE = 50;

/**
 * The latest-behind time zone on Earth: a check-in is "in the past" for a search only when it
 * is past everywhere. Each property then drops out if the date has passed where it stands.
 */
const LAST_TIME_ZONE = "Etc/GMT+12";

/**
 * Checks a search: dates together, check-out after check-in, at most 30 nights, check-in not
 * past everywhere, the nightly price filter in one currency with min <= max, distance sort only
 * with a circle, a page token from the same search. Throws "invalid" naming every broken field.
 */
export function parseSearch(input: SearchInput, now: Date): SearchQuery {
  const v = violations();
  let dates: SearchQuery["dates"];
  if (input.checkIn !== "" || input.checkOut !== "") {
    v.check(isCalendarDate(input.checkIn), "check_in", "must be a date YYYY-MM-DD");
    v.check(isCalendarDate(input.checkOut), "check_out", "must be a date YYYY-MM-DD");
    v.throwIfAny();
    const nights = daysBetween(input.checkIn, input.checkOut);
    v.check(nights >= 1, "check_out", "must be after check_in");
    v.check(nights <= MAX_STAY_NIGHTS, "check_out", `must be at most ${MAX_STAY_NIGHTS} nights after check_in`);
    const today = localDate(now, LAST_TIME_ZONE);
    v.check(input.checkIn >= today, "check_in", "must not be in the past");
    dates = { checkIn: input.checkIn, checkOut: input.checkOut, nights };
  }
  const { minPrice, maxPrice } = input;
  const currency = minPrice?.currency ?? maxPrice?.currency;
  if (minPrice && maxPrice) {
    v.check(minPrice.currency === maxPrice.currency, "max_nightly_price.currency_code", "must be the currency of min_nightly_price");
    v.check(minPrice.amountMinor <= maxPrice.amountMinor, "max_nightly_price", "must not be below min_nightly_price");
  }
  v.check((minPrice?.amountMinor ?? 0) >= 0, "min_nightly_price.amount_minor", "must not be negative");
  v.check((maxPrice?.amountMinor ?? 0) >= 0, "max_nightly_price.amount_minor", "must not be negative");
  v.check(input.sort !== "distance_asc" || input.location.kind === "near", "sort", "sorting by distance needs `near`");
  if (input.location.kind === "near") {
    const { radiusKm } = input.location;
    v.check(Number.isFinite(radiusKm) && radiusKm > 0 && radiusKm <= 200, "near.radius_km", "must be above 0 and at most 200");
  }
  const adults = Math.max(1, input.adults);
  const units = Math.max(1, input.rooms);
  v.throwIfAny();
  const q: SearchQuery = {
    location: input.location,
    countryCode: input.countryCode || undefined,
    dates,
    adults,
    children: input.children,
    units,
    price: currency === undefined ? undefined : { currency, minMinor: minPrice?.amountMinor, maxMinor: maxPrice?.amountMinor },
    types: input.types,
    amenities: input.amenities,
    minRating: input.minRating,
    freeCancellationOnly: input.freeCancellationOnly,
    sort: input.sort,
    pageSize: Math.min(input.pageSize > 0 ? input.pageSize : DEFAULT_SEARCH_PAGE_SIZE, MAX_SEARCH_PAGE_SIZE),
    after: undefined,
  };
  return input.pageToken === "" ? q : { ...q, after: decodeSearchCursor(input.pageToken, searchScope(q)) };
}

/**
 * Where a page ended: the last row's keys. Every sort is an ascending order on (k1, k2,
 * property id); descending orders negate their keys, so one row comparison
 * `(k1, k2, id) > (...)` resumes any of them.
 */
export interface SearchCursor {
  k1: number;
  k2: number;
  id: string;
}

/** The destination text as stored place keys compare it (a destination is matched case-blind). */
export const destinationKey = (text: string) => text.trim().toLowerCase();

/**
 * What a page token is bound to (AIP-158): every parameter of the search but the page size
 * and the token, as parsed (so "Seoul" and " seoul" or filters in another order are one search).
 */
export function searchScope(q: SearchQuery): string {
  const location = q.location.kind === "text" ? { kind: "text", text: destinationKey(q.location.text) } : q.location;
  return JSON.stringify([
    location, q.countryCode ?? null, q.dates ?? null, q.adults, q.children, q.units, q.price ?? null,
    [...q.types].sort(), [...q.amenities].sort(), q.minRating, q.freeCancellationOnly, q.sort,
  ]);
}

/** What a result is sorted by. `unitTotal` is the stay price of one unit (the "from" price without dates). */
export interface SortInputs {
  unitTotal: number;
  ratingScore: number;
  ratingCount: number;
  distanceKm: number;
  relevance: number;
}

/** The (k1, k2) of a result under `sort`; the SQL computes the same expressions (store/search/property-sort-sql.ts). */
export function sortKeys(sort: SearchSort, r: SortInputs): [number, number] {
  switch (sort) {
    case "relevance":
      return [-r.relevance, 0];
    case "price_asc":
      return [r.unitTotal, 0];
    case "price_desc":
      return [-r.unitTotal, 0];
    case "rating_desc":
      return [-r.ratingScore, -r.ratingCount];
    case "distance_asc":
      return [r.distanceKm, 0];
    default: {
      const _x: never = sort;
      throw new Error(`unknown sort ${String(_x)}`);
    }
  }
}


/** A page token for search `scope` (see the platform's keyset tokens). Float keys survive JSON exactly (shortest round trip). */
export function encodeSearchCursor(c: SearchCursor, scope: string): string {
  return encodeKeysetToken([c.k1, c.k2, c.id], scope);
}

/** Reads a token from `encodeSearchCursor` made for the same search `scope`; anything else is "invalid". */
export function decodeSearchCursor(token: string, scope: string): SearchCursor {
  return decodeKeysetToken(token, "search", scope, 3, ([k1, k2, id]) =>
    typeof k1 === "number" && typeof k2 === "number" && Number.isFinite(k1) && Number.isFinite(k2) && isUuid(id) ? { k1, k2, id } : undefined,
  );
}
