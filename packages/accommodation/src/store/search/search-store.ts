import { and, asc, gte, inArray, lte } from "drizzle-orm";
import { addDays } from "../../domain/dates.js";
import { type CancellationPolicy, isCancellationPolicy } from "@triphub/platform/stay-rules";
import type { InventoryNight, StayPrice } from "../../domain/calendar.js";
import { stayPrice } from "../../domain/calendar.js";
import type { Photo, RatingSummary } from "../../domain/property.js";
import { destinationKey, encodeSearchCursor, searchScope } from "../../domain/search.js";
import type { SearchQuery } from "../../domain/search.js";
import type { Amenity, PropertyType } from "../../domain/vocabulary.js";
import { isAmenity, isPropertyType } from "../../domain/vocabulary.js";
import type { Money } from "../../domain/money.js";
import { createLru } from "@triphub/platform";
import type { AccommodationDb } from "../db.js";
import { toInventoryNight } from "../inventory-sql.js";
import { inventory } from "../schema.js";
import type { DestinationMatch } from "./filters-sql.js";
import { closestPlaceSql, destinationKindSql } from "./destination-sql.js";
import { floorWalkPage, walksFloorIndex } from "./floor-walk.js";
import { placeCounted, placeCountSql, propertySortPageSql, sortsByPrice } from "./property-sort-sql.js";
import { rankedWalkPage } from "./ranked-walk.js";

/** What a search result card shows of a property (proto `AccommodationSummary`). */
export interface PropertySummary {
  id: string;
  name: string;
  type: PropertyType;
  starRating: number;
  city: string;
  region: string;
  countryCode: string;
  latitude: number;
  longitude: number;
  coverPhoto: Photo | undefined;
  ratingSummary: RatingSummary;
  cancellationPolicy: CancellationPolicy;
  /** Lowest base or weekend nightly price over its room types (`fromPriceMinor`). */
  lowestNightlyPrice: Money | undefined;
  amenities: Amenity[];
  timeZone: string;
  checkInTime: string;
}

/** The cheapest room type that fits the party (and, with dates, is free every night). */
export interface SearchOffer {
  roomTypeId: string;
  roomTypeName: string;
  units: number;
  remainingUnits: number;
  /** With dates only. */
  price: StayPrice | undefined;
}

/** One hit. */
export interface SearchHit {
  property: PropertySummary;
  offer: SearchOffer;
  /** 0 unless the search used a circle. */
  distanceKm: number;
}

/** One page of a search; `nextPageToken` is "" on the last. */
export interface SearchPage {
  hits: SearchHit[];
  nextPageToken: string;
  totalSize: number;
}

/** Guest search over listed properties: one SQL statement per page (a few for price sorts). */
export interface SearchStore {
  search(q: SearchQuery, now: Date): Promise<SearchPage>;
  /**
   * The stored inventory rows of `roomTypeIds` on nights [from, to] (inclusive: the check-out
   * day's closed-to-departure counts), by room type, in one query.
   */
  stayInventory(roomTypeIds: readonly string[], from: string, to: string): Promise<Map<string, InventoryNight[]>>;
}

interface Row {
  propertyId: string;
  k1: number;
  k2: number;
  /** Price sorts: every match. */
  totalSize?: number;
  /** Other sorts: how many properties at the place the walk had passed at this row, and how many there are. */
  ord?: number;
  candidates?: number;
  distanceKm: number;
  unitTotal: number;
  remaining: number;
  name: string;
  propertyType: string;
  starRating: number;
  city: string;
  region: string;
  countryCode: string;
  latitude: number;
  longitude: number;
  coverPhoto: Photo | null;
  ratingAverage: number;
  ratingCount: number;
  ratingScore: number;
  cancellationPolicy: string;
  amenities: string[];
  currency: string;
  timeZone: string;
  checkInTime: string;
  lowestNightly: number | null;
  roomTypeId: string;
  roomTypeName: string;
  nightly: number[] | null;
}

function toHit(r: Row, q: SearchQuery): SearchHit {
  if (!isPropertyType(r.propertyType) || !isCancellationPolicy(r.cancellationPolicy)) {
    throw new Error(`stored property ${r.propertyId} has a type or policy this version does not know`);
  }
  const d = q.dates;
  const price = d === undefined || r.nightly === null
    ? undefined
    : stayPrice(r.nightly.map((amount, i) => ({ date: addDays(d.checkIn, i), price: { amountMinor: amount, currency: r.currency } })), q.units, r.currency);
  return {
    property: {
      id: r.propertyId,
      name: r.name,
      type: r.propertyType,
      starRating: r.starRating,
      city: r.city,
      region: r.region,
      countryCode: r.countryCode,
      latitude: r.latitude,
      longitude: r.longitude,
      coverPhoto: r.coverPhoto ?? undefined,
      ratingSummary: { average: r.ratingAverage, count: r.ratingCount, rankingScore: r.ratingScore },
      cancellationPolicy: r.cancellationPolicy,
      lowestNightlyPrice: r.lowestNightly === null ? undefined : { amountMinor: r.lowestNightly, currency: r.currency },
      amenities: r.amenities.filter(isAmenity),
      timeZone: r.timeZone,
      checkInTime: r.checkInTime,
    },
    offer: { roomTypeId: r.roomTypeId, roomTypeName: r.roomTypeName, units: q.units, remainingUnits: r.remaining, price },
    distanceKm: r.distanceKm,
  };
}

/** The search store over `db`. */
export function createSearchStore(db: AccommodationDb): SearchStore {
  // A text naming a region or city we list matches it exactly (index equality); a text close
  // to one such name is taken for it; only other texts pay for the fuzzy match over every row.
  async function resolveDestination(q: SearchQuery): Promise<{ q: SearchQuery; match: DestinationMatch }> {
    if (q.location.kind !== "text") return { q, match: "fuzzy" };
    const key = destinationKey(q.location.text);
    const [exact] = (await db.execute(destinationKindSql(key))) as unknown as { kind: "region" | "city" | null }[];
    if (exact?.kind) return { q, match: exact.kind };
    const [close] = (await db.execute(closestPlaceSql(key))) as unknown as { kind: "region" | "city"; key: string }[];
    if (close === undefined) return { q, match: "fuzzy" };
    return { q: { ...q, location: { kind: "text", text: close.key } }, match: close.kind };
  }

  // Properties per place, for estimated totals: an estimate may be a minute old.
  const placeCounts = createLru<number>(1_000);
  async function placeCount(q: SearchQuery, match: DestinationMatch): Promise<number> {
    const key = `${match}:${JSON.stringify(q.location)}`;
    const known = placeCounts.get(key);
    if (known !== undefined) return known;
    const [row] = (await db.execute(placeCountSql(q, match))) as unknown as { n: number }[];
    placeCounts.set(key, row?.n ?? 0, 60_000);
    return row?.n ?? 0;
  }

  return {
    async search(q, now) {
      const place = await resolveDestination(q);
      const rows = !sortsByPrice(q.sort)
        ? ((await db.execute(propertySortPageSql(place.q, place.match, now))) as unknown as Row[])
        : walksFloorIndex(place.q, place.match)
          ? await floorWalkPage<Row>(db, place.q, place.match, now, () => placeCount(place.q, place.match))
          : await rankedWalkPage<Row>(db, place.q, place.match, now, () => placeCount(place.q, place.match));
      const first = rows[0];
      // Only an estimate needs it: a first page holding every match counts itself.
      if (first !== undefined && (rows.length > q.pageSize || q.after !== undefined) && placeCounted(place.q, place.match)) {
        first.candidates = await placeCount(place.q, place.match);
      }
      const page = rows.slice(0, q.pageSize);
      const last = page.at(-1);
      const more = rows.length > q.pageSize && last !== undefined;
      return {
        hits: page.map((r) => toHit(r, q)),
        nextPageToken: more ? encodeSearchCursor({ k1: last.k1, k2: last.k2, id: last.propertyId }, searchScope(q)) : "",
        totalSize: rows[0]?.totalSize ?? estimatedTotal(rows, more, q.after === undefined),
      };
    },
    stayInventory: (ids, from, to) => inventoryByRoomType(db, ids, from, to),
  };
}

/**
 * Matches over all pages, from a lazily evaluated page: the properties at the place times the
 * share of those walked past on this page that had an offer. Exact when one page held every
 * match.
 */
function estimatedTotal(rows: readonly Row[], more: boolean, firstPage: boolean): number {
  const last = rows.at(-1);
  if (last === undefined) return 0;
  if (firstPage && !more) return rows.length;
  const walked = Math.max(1, last.ord ?? 1);
  return Math.max(rows.length, Math.round(((rows[0]?.candidates ?? 0) * rows.length) / walked));
}

async function inventoryByRoomType(db: AccommodationDb, roomTypeIds: readonly string[], from: string, to: string): Promise<Map<string, InventoryNight[]>> {
  const out = new Map<string, InventoryNight[]>(roomTypeIds.map((id) => [id, []]));
  if (roomTypeIds.length === 0) return out;
  const rows = await db
    .select()
    .from(inventory)
    .where(and(inArray(inventory.roomTypeId, [...roomTypeIds]), gte(inventory.night, from), lte(inventory.night, to)))
    .orderBy(asc(inventory.roomTypeId), asc(inventory.night));
  for (const r of rows) out.get(r.roomTypeId)?.push(toInventoryNight(r));
  return out;
}
