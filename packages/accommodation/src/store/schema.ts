import { eventCursorsTable, eventsTable } from "@triphub/platform/events";
import { sql } from "drizzle-orm";
import {
  bigint, boolean, check, customType, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text,
  timestamp, uuid,
} from "drizzle-orm/pg-core";
import type { StayPrice } from "../domain/calendar.js";
import type { Photo } from "../domain/property.js";
import type { Bed } from "../domain/room-type.js";

// Millisecond precision matches JavaScript's Date, so a timestamp read back compares equal to
// the one written, and keyset page tokens built from a Date are exact.
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
// Money in minor units: bigint in the database, number in TypeScript (see domain/money.ts).
const minor = (name: string) => bigint(name, { mode: "number" });
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const datemultirange = customType<{ data: string }>({ dataType: () => "datemultirange" });

/** Properties a host lists. `version` is the etag counter; `search` feeds full-text search. */
export const properties = pgTable(
  "properties",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    propertyType: text("property_type").notNull(),
    addressLine1: text("address_line1").notNull(),
    addressLine2: text("address_line2").notNull().default(""),
    city: text("city").notNull(),
    region: text("region").notNull().default(""),
    postalCode: text("postal_code").notNull().default(""),
    countryCode: text("country_code").notNull(),
    latitude: doublePrecision("latitude").notNull(),
    longitude: doublePrecision("longitude").notNull(),
    amenities: text("amenities").array().notNull().default(sql`'{}'::text[]`),
    photos: jsonb("photos").$type<Photo[]>().notNull().default(sql`'[]'::jsonb`),
    houseRules: text("house_rules").array().notNull().default(sql`'{}'::text[]`),
    checkInTime: text("check_in_time").notNull().default(""),
    checkOutTime: text("check_out_time").notNull().default(""),
    timeZone: text("time_zone").notNull(),
    currency: text("currency").notNull(),
    cancellationPolicy: text("cancellation_policy").notNull(),
    status: text("status").notNull().default("draft"),
    starRating: integer("star_rating").notNull().default(0),
    ratingAverage: doublePrecision("rating_average").notNull().default(0),
    ratingCount: integer("rating_count").notNull().default(0),
    // Mirrored from the review service's RatingStatistics (jobs/rating-statistics.ts): its
    // Bayesian ranking score, which the rating sort orders by, and the version of the figures
    // last applied, so a stale or repeated copy changes nothing.
    ratingScore: doublePrecision("rating_score").notNull().default(0),
    ratingVersion: bigint("rating_version", { mode: "bigint" }).notNull().default(sql`0`),
    version: integer("version").notNull().default(1),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    publishedAt: ts("published_at"),
    // 'simple' rather than a language: names and descriptions are Korean, English, Japanese...
    // The property's own part of search relevance, ordered by the *_relevance_idx indexes (0003).
    quality: doublePrecision("quality").generatedAlwaysAs(
      sql`("rating_average" / 5.0) * (1 - 1 / (1 + ln(1 + "rating_count"::double precision))) + 0.02 * "star_rating"`,
    ),
    search: tsvector("search").generatedAlwaysAs(
      sql`setweight(to_tsvector('simple', coalesce(name, '')), 'A') || setweight(to_tsvector('simple', coalesce(description, '')), 'B')`,
    ),
  },
  (t) => [
    // ListMyProperties pages most recently updated first by (updated_at, id).
    index("properties_owner_updated_idx").on(t.ownerId, t.updatedAt, t.id),
    index("properties_search_idx").using("gin", t.search),
    // Fuzzy name and destination matching (pg_trgm, created in 0000_extensions).
    index("properties_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
    index("properties_city_trgm_idx").using("gin", sql`lower(${t.city}) gin_trgm_ops`),
    check("properties_status_known", sql`${t.status} in ('draft', 'listed', 'unlisted')`),
    check("properties_policy_known", sql`${t.cancellationPolicy} in ('flexible', 'moderate', 'strict', 'non_refundable')`),
    check("properties_star_rating_range", sql`${t.starRating} between 0 and 5`),
    check("properties_location_range", sql`${t.latitude} between -90 and 90 and ${t.longitude} between -180 and 180`),
    check("properties_currency_code", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** Kinds of room per property, each with `unit_count` identical units. */
export const roomTypes = pgTable(
  "room_types",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    propertyId: uuid("property_id")
      .notNull()
      .references(() => properties.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    maxAdults: integer("max_adults").notNull(),
    maxChildren: integer("max_children").notNull().default(0),
    beds: jsonb("beds").$type<Bed[]>().notNull().default(sql`'[]'::jsonb`),
    sizeSqm: integer("size_sqm").notNull().default(0),
    amenities: text("amenities").array().notNull().default(sql`'{}'::text[]`),
    unitCount: integer("unit_count").notNull(),
    basePriceMinor: minor("base_price_minor").notNull(),
    // Friday and Saturday nights without an override (domain/night-price.ts); null: the base price.
    weekendPriceMinor: minor("weekend_price_minor"),
    currency: text("currency").notNull(),
    photos: jsonb("photos").$type<Photo[]>().notNull().default(sql`'[]'::jsonb`),
    version: integer("version").notNull().default(1),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    // Kept by the database, not written by the code (migration 0005): the property's place,
    // copied by triggers so that price sorts can walk room types by place and price bound...
    placeRegion: text("place_region").notNull().default(""),
    placeCity: text("place_city").notNull().default(""),
    placeListed: boolean("place_listed").notNull().default(false),
    // ...and the lowest and highest nightly price the room type can still charge (base and
    // weekend prices and every override not yet past), refreshed by
    // refresh_room_type_price_bounds(); the lowest also by kind of night (migration 0007).
    priceFloorMinor: minor("price_floor_minor").notNull().default(0),
    priceCeilingMinor: minor("price_ceiling_minor").notNull().default(0),
    weekdayFloorMinor: minor("weekday_floor_minor").notNull().default(0),
    weekendFloorMinor: minor("weekend_floor_minor").notNull().default(0),
    // ...and the nights an override prices above the room type's own rate for their kind
    // (migration 0008): a stay touching none costs no more than its base and weekend prices.
    premiumNights: datemultirange("premium_nights").notNull().default(sql`'{}'::datemultirange`),
  },
  (t) => [
    index("room_types_property_idx").on(t.propertyId, t.createdAt, t.id),
    check("room_types_unit_count_range", sql`${t.unitCount} between 0 and 1000`),
    check("room_types_base_price_positive", sql`${t.basePriceMinor} > 0`),
    check("room_types_weekend_price_positive", sql`${t.weekendPriceMinor} is null or ${t.weekendPriceMinor} > 0`),
  ],
);

/**
 * One row per room type and night that anyone has touched (a host setting, a hold). A night
 * without a row means: unit_count units, base (or weekend) price, no restrictions. The CHECKs
 * make it impossible, whatever the code does, to hold or book below zero or beyond the units
 * offered.
 */
export const inventory = pgTable(
  "inventory",
  {
    roomTypeId: uuid("room_type_id")
      .notNull()
      .references(() => roomTypes.id, { onDelete: "cascade" }),
    night: date("night", { mode: "string" }).notNull(),
    unitsTotal: integer("units_total").notNull(),
    unitsHeld: integer("units_held").notNull().default(0),
    unitsBooked: integer("units_booked").notNull().default(0),
    // Whether the host set units_total for this night; if not, it follows unit_count changes.
    unitsTotalSet: boolean("units_total_set").notNull().default(false),
    priceOverrideMinor: minor("price_override_minor"),
    minStayNights: integer("min_stay_nights").notNull().default(0),
    closedToArrival: boolean("closed_to_arrival").notNull().default(false),
    closedToDeparture: boolean("closed_to_departure").notNull().default(false),
  },
  (t) => [
    primaryKey({ name: "inventory_pkey", columns: [t.roomTypeId, t.night] }),
    check("inventory_units_not_negative", sql`${t.unitsHeld} >= 0 and ${t.unitsBooked} >= 0 and ${t.unitsTotal} >= 0`),
    check("inventory_units_within_total", sql`${t.unitsHeld} + ${t.unitsBooked} <= ${t.unitsTotal}`),
    check("inventory_price_override_not_negative", sql`${t.priceOverrideMinor} is null or ${t.priceOverrideMinor} >= 0`),
  ],
);

/** Holds of the booking saga, one per reservation, with their price and terms snapshot. */
export const holds = pgTable(
  "holds",
  {
    reservationId: uuid("reservation_id").primaryKey(),
    holdId: uuid("hold_id").notNull().defaultRandom().unique("holds_hold_id_key"),
    propertyId: uuid("property_id").notNull(),
    // No foreign key: a hold is the reservation's record and outlives room-type edits; deleting
    // a room type or property with live holds is refused by the stores instead.
    roomTypeId: uuid("room_type_id").notNull(),
    hostId: uuid("host_id").notNull(),
    checkIn: date("check_in", { mode: "string" }).notNull(),
    checkOut: date("check_out", { mode: "string" }).notNull(),
    units: integer("units").notNull(),
    adults: integer("adults").notNull(),
    children: integer("children").notNull(),
    status: text("status").notNull(),
    price: jsonb("price").$type<StayPrice>().notNull(),
    cancellationPolicy: text("cancellation_policy").notNull(),
    propertyName: text("property_name").notNull(),
    roomTypeName: text("room_type_name").notNull(),
    timeZone: text("time_zone").notNull(),
    checkInTime: text("check_in_time").notNull(),
    checkOutTime: text("check_out_time").notNull(),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    confirmedAt: ts("confirmed_at"),
    releasedAt: ts("released_at"),
    releaseReason: text("release_reason"),
  },
  (t) => [
    // The expiry sweeper scans only live holds, oldest expiry first.
    index("holds_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'held'`),
    // "Does this room type / property have unfinished holds or stays?" before deletes.
    index("holds_room_type_live_idx").on(t.roomTypeId, t.checkOut).where(sql`${t.status} in ('held', 'confirmed')`),
    index("holds_property_live_idx").on(t.propertyId, t.checkOut).where(sql`${t.status} in ('held', 'confirmed')`),
    check("holds_status_known", sql`${t.status} in ('held', 'confirmed', 'released', 'expired')`),
    check("holds_units_range", sql`${t.units} between 1 and 10`),
    check("holds_dates_order", sql`${t.checkOut} > ${t.checkIn}`),
  ],
);

/**
 * The transactional outbox: every state change inserts its events here in its own transaction
 * (store/outbox.ts), and StreamEvents publishes them in `position` order (store/event-store.ts).
 * `position` is not a sequence: its high bits are the writing transaction's id, which is what
 * makes it strictly increasing in delivery order (see outbox.ts). Rows are never updated.
 */
export const events = eventsTable("events");

/**
 * How far accommodation has applied the event feeds of other services it consumes (review's
 * rating statistics), one row per feed, advanced in the transaction that applies each batch.
 */
export const eventCursors = eventCursorsTable();

/**
 * AIP-155 request ids of the create RPCs, per caller and method, for a day (domain/request-id.ts).
 * Written in the create's own transaction, so a key exists exactly when its resource was made.
 */
export const requestIds = pgTable(
  "request_ids",
  {
    callerId: text("caller_id").notNull(),
    method: text("method").notNull(),
    requestId: uuid("request_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    resourceId: uuid("resource_id").notNull(),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "request_ids_pkey", columns: [t.callerId, t.method, t.requestId] }),
    // The purge deletes expired keys oldest first.
    index("request_ids_expiry_idx").on(t.expiresAt),
  ],
);

/**
 * Reservations released before they held anything (ReleaseHold overtook HoldInventory): a
 * late HoldInventory for one of them fails instead of holding rooms nobody will confirm.
 */
export const holdTombstones = pgTable("hold_tombstones", {
  reservationId: uuid("reservation_id").primaryKey(),
  reason: text("reason").notNull(),
  releasedAt: ts("released_at").notNull(),
});
