import { freshDatabase } from "@triphub/testkit";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../src/domain/dates.js";
import { isWeekendNight } from "../src/domain/night-price.js";
import { parseSearch, type SearchInput } from "../src/domain/search.js";
import { seedProperty } from "../src/seed/generate.js";
import { loadSeed } from "../src/seed/load.js";
import { createCalendarStore } from "../src/store/calendar-store.js";
import { createSearchStore } from "../src/store/search/index.js";
import { migrationsFolder } from "./accommodation-db.js";

const options = { seed: 7, startDate: "2026-03-01", calendarDays: 120, hosts: 10 };
const now = new Date("2026-03-01T00:00:00.000Z");

describe("the seed generator", () => {
  it("gives the same catalogue for the same seed, and another for another seed", () => {
    const a = Array.from({ length: 20 }, (_, i) => seedProperty(i, options));
    const b = Array.from({ length: 20 }, (_, i) => seedProperty(i, options));
    expect(b).toEqual(a);
    expect(seedProperty(0, { ...options, seed: 8 })).not.toEqual(a[0]);
  });

  it("makes plausible properties: coordinates near their city, prices in the local currency, valid calendars", () => {
    for (let i = 0; i < 300; i++) {
      const p = seedProperty(i, options);
      expect(p.roomTypes.length).toBeGreaterThan(0);
      expect(Math.abs(p.latitude)).toBeLessThanOrEqual(90);
      expect(p.currency).toMatch(/^[A-Z]{3}$/);
      for (const rt of p.roomTypes) {
        expect(rt.basePriceMinor).toBeGreaterThan(0);
        for (const n of rt.nights) {
          expect(n.unitsBooked).toBeLessThanOrEqual(n.unitsTotal);
          expect(n.night >= options.startDate).toBe(true);
        }
      }
    }
    const currencies = new Set(Array.from({ length: 300 }, (_, i) => seedProperty(i, options).currency));
    expect(currencies).toContain("KRW");
    expect(currencies.size).toBeGreaterThan(4);
  });

  it("prices weekends a quarter above the base and writes calendar rows only for nights that differ from the defaults", () => {
    const weekendNights = Array.from({ length: options.calendarDays }, (_, i) => addDays(options.startDate, i)).filter(isWeekendNight).length;
    let weekendRows = 0;
    let roomTypes = 0;
    for (let i = 0; i < 300; i++) {
      for (const rt of seedProperty(i, options).roomTypes) {
        roomTypes++;
        // Rounded as base prices are: to 1,000 won or yen, or a whole dollar or euro.
        expect(Math.abs(rt.weekendPriceMinor - rt.basePriceMinor * 1.25)).toBeLessThanOrEqual(500);
        for (const n of rt.nights) {
          const fallback = isWeekendNight(n.night) ? rt.weekendPriceMinor : rt.basePriceMinor;
          expect(n.priceOverrideMinor).not.toBe(fallback);
          expect(n.priceOverrideMinor !== null || n.unitsBooked > 0 || n.minStayNights > 0).toBe(true);
          if (isWeekendNight(n.night)) weekendRows++;
        }
      }
    }
    // Every weekend night used to have a row for its price; now only bookings (this calendar
    // has no peak nights) need one, about one night in twelve.
    expect(weekendRows).toBeGreaterThan(0);
    expect(weekendRows).toBeLessThan((roomTypes * weekendNights) / 5);
  });
});

describe("loading a seed catalogue", () => {
  let client: postgres.Sql;
  beforeAll(async () => {
    client = postgres(await freshDatabase({ migrationsFolder, name: "acc_seed" }), { max: 4, onnotice: () => {} });
  });
  afterAll(() => client?.end());

  const input = (over: Partial<SearchInput>): SearchInput => ({
    location: { kind: "anywhere" }, countryCode: "", checkIn: "", checkOut: "", adults: 2, children: 0, rooms: 1,
    minPrice: undefined, maxPrice: undefined, types: [], amenities: [], minRating: 0, freeCancellationOnly: false,
    sort: "relevance", pageSize: 20, pageToken: "", ...over,
  });

  it("bulk-loads 200 properties that search then finds, with offers for dates", async () => {
    const result = await loadSeed(client, 200, options, now);
    expect(result.properties).toBe(200);
    const [{ n }] = await client`select count(*)::int as n from properties where status = 'listed'`;
    expect(n).toBe(200);
    const [{ rt }] = await client`select count(*)::int as rt from room_types`;
    expect(rt).toBe(result.roomTypes);

    const store = createSearchStore(drizzle(client));
    const seoul = await store.search(parseSearch(input({ location: { kind: "text", text: "Seoul" }, checkIn: "2026-04-03", checkOut: "2026-04-05" }), now), now);
    expect(seoul.hits.length).toBeGreaterThan(0);
    expect(seoul.hits.every((h) => h.property.city === "Seoul" && h.offer.price?.nights.length === 2)).toBe(true);
    // Friday and Saturday nights take the weekend price unless the calendar overrides them.
    const first = seedProperty(0, options).roomTypes[0];
    const days = await createCalendarStore(drizzle(client)).read(first.id, "2026-04-02", "2026-04-06");
    const expected = days.map((d) => {
      const override = first.nights.find((n) => n.night === d.date)?.priceOverrideMinor;
      return override ?? (isWeekendNight(d.date) ? first.weekendPriceMinor : first.basePriceMinor);
    });
    expect(days.map((d) => d.price.amountMinor)).toEqual(expected);
    expect(days.filter((d) => !d.priceOverridden).map((d) => d.price.amountMinor)).toContain(first.weekendPriceMinor);
    const tokyo = await store.search(parseSearch(input({ location: { kind: "near", latitude: 35.6762, longitude: 139.6503, radiusKm: 20 }, sort: "distance_asc" }), now), now);
    expect(tokyo.hits.length).toBeGreaterThan(0);
    expect(tokyo.hits.every((h) => h.property.countryCode === "JP" && h.distanceKm <= 20)).toBe(true);
  });
});
