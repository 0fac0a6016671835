import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Sql } from "postgres";
import type { SeedOptions, SeedProperty } from "./generate.js";
import { seedCatalogue } from "./generate.js";

/** How much a load wrote. */
export interface SeedResult {
  properties: number;
  roomTypes: number;
  nights: number;
}

type Row = Record<string, string | number | boolean | null | string[] | object>;

// Rows per statement: big enough that round trips do not matter, small enough to keep each
// JSON parameter a few megabytes.
const MAX_INVENTORY_ROWS = 20_000;

function propertyRow(p: SeedProperty, now: Date): Row {
  return {
    id: p.id, owner_id: p.ownerId, name: p.name, description: p.description, property_type: p.type,
    address_line1: p.line1, city: p.city, region: p.region, postal_code: p.postalCode, country_code: p.countryCode,
    latitude: p.latitude, longitude: p.longitude, amenities: p.amenities, photos: p.photos, house_rules: p.houseRules,
    check_in_time: p.checkInTime, check_out_time: p.checkOutTime, time_zone: p.timeZone, currency: p.currency,
    cancellation_policy: p.cancellationPolicy, status: "listed", star_rating: p.starRating,
    created_at: now.toISOString(), updated_at: now.toISOString(), published_at: now.toISOString(),
  };
}

/**
 * Loads properties 0 .. count-1 of a seed catalogue with multi-row INSERTs (up to 1,000
 * properties a statement) and COPY for the nights (20,000 a batch), in one transaction: all or nothing. Ids are deterministic, so loading the
 * same seed twice fails on the primary key rather than duplicating the catalogue.
 */
export async function loadSeed(sql: Sql, count: number, o: SeedOptions, now: Date): Promise<SeedResult> {
  const result: SeedResult = { properties: 0, roomTypes: 0, nights: 0 };
  await sql.begin(async (tx) => {
    const buffers = { properties: [] as Row[], room_types: [] as Row[] };
    let nights: string[] = [];
    // Nights go in by COPY: several times faster than INSERT for hundreds of thousands of rows.
    const copyNights = async () => {
      if (nights.length === 0) return;
      const stream = await tx`copy inventory (room_type_id, night, units_total, units_booked, price_override_minor, min_stay_nights) from stdin`.writable();
      await pipeline(Readable.from([nights.join("")]), stream);
      nights = [];
    };
    const flush = async (table: keyof typeof buffers) => {
      const rows = buffers[table];
      if (rows.length === 0) return;
      // One JSON parameter per statement, typed by the table's own row type: no parameter limit,
      // and jsonb, text[] and timestamps convert in PostgreSQL whatever serializers the
      // client has installed (drizzle replaces postgres.js' json serializer).
      const columns = Object.keys(rows[0]).map((c) => `"${c}"`).join(", ");
      await tx.unsafe(`insert into "${table}" (${columns}) select ${columns} from json_populate_recordset(null::"${table}", $1::text::json)`, [
        JSON.stringify(rows),
      ]);
      buffers[table] = [];
    };
    // Parents before children, so every foreign key is satisfied as rows arrive.
    const flushAll = async () => {
      await flush("properties");
      await flush("room_types");
      await copyNights();
    };
    for (const p of seedCatalogue(count, o)) {
      buffers.properties.push(propertyRow(p, now));
      result.properties++;
      for (const rt of p.roomTypes) {
        buffers.room_types.push({
          id: rt.id, property_id: p.id, name: rt.name, max_adults: rt.maxAdults, max_children: rt.maxChildren,
          beds: rt.beds, size_sqm: rt.sizeSqm, amenities: rt.amenities, unit_count: rt.unitCount,
          base_price_minor: rt.basePriceMinor, weekend_price_minor: rt.weekendPriceMinor, currency: p.currency, created_at: now.toISOString(), updated_at: now.toISOString(),
        });
        result.roomTypes++;
        for (const n of rt.nights) {
          const price = n.priceOverrideMinor === null ? "\\N" : String(n.priceOverrideMinor);
          nights.push(`${rt.id}\t${n.night}\t${n.unitsTotal}\t${n.unitsBooked}\t${price}\t${n.minStayNights}\n`);
          result.nights++;
        }
      }
      if (buffers.properties.length >= 1000 || nights.length >= MAX_INVENTORY_ROWS) await flushAll();
    }
    await flushAll();
    // The nights went in by COPY, past the code that keeps room types' price bounds.
    await tx`select refresh_room_type_price_bounds(null, ${now.toISOString().slice(0, 10)}::date)`;
  });
  return result;
}
