import { drizzle } from "drizzle-orm/postgres-js";
import { freshDatabase } from "@triphub/testkit";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSearch, type SearchInput, type SearchQuery } from "../src/domain/search.js";
import { rng } from "../src/seed/generate.js";
import { loadSeed } from "../src/seed/load.js";
import { createCalendarStore } from "../src/store/calendar-store.js";
import type { AccommodationDb } from "../src/store/db.js";
import { createRoomTypeStore } from "../src/store/room-type-store.js";
import type { DestinationMatch } from "../src/store/search/filters-sql.js";
import { pricedPageSql } from "./price-oracle.js";
import { createSearchStore } from "../src/store/search/index.js";
import { migrationsFolder } from "./accommodation-db.js";

// Price sorts walk properties in the order of stored price bounds, stop early and skip what
// cannot make the page (store/search/: floor-walk.ts, ranked-walk.ts). The oracle is one
// statement that prices every candidate (price-oracle.ts): both must
// give the same properties, offers and order, over a catalogue whose prices the hosts then
// change in every way that moves a bound.

const today = "2026-03-01";
const now = new Date(`${today}T00:00:00.000Z`);
const options = { seed: 11, startDate: today, calendarDays: 120, hosts: 10 };

const input = (over: Partial<SearchInput>): SearchInput => ({
  location: { kind: "anywhere" }, countryCode: "", checkIn: "", checkOut: "", adults: 2, children: 0, rooms: 1,
  minPrice: undefined, maxPrice: undefined, types: [], amenities: [], minRating: 0, freeCancellationOnly: false,
  sort: "price_asc", pageSize: 5, pageToken: "", ...over,
});

interface Hit {
  propertyId: string;
  roomTypeId: string;
}

describe("price sorts by walking price bounds", () => {
  let client: postgres.Sql;
  let db: AccommodationDb;

  beforeAll(async () => {
    client = postgres(await freshDatabase({ migrationsFolder, name: "acc_price_walk" }), { max: 8, onnotice: () => {} });
    db = drizzle(client) as AccommodationDb;
    await loadSeed(client, 400, options, now);
  }, 120_000);
  afterAll(() => client?.end());

  // Every bound admits every price a search can still meet (base, weekend, overrides not yet
  // past), every night priced above its own rate is a premium night, and the place columns
  // follow the property.
  async function expectBoundsHold() {
    const [bad] = await client`select
        (select count(*)::int from room_types rt where rt.price_floor_minor > rt.base_price_minor or rt.price_ceiling_minor < rt.base_price_minor
           or rt.price_floor_minor > rt.weekend_price_minor or rt.price_ceiling_minor < rt.weekend_price_minor
           or rt.weekday_floor_minor > rt.base_price_minor or rt.weekend_floor_minor > coalesce(rt.weekend_price_minor, rt.base_price_minor)
           or rt.price_floor_minor <> least(rt.weekday_floor_minor, rt.weekend_floor_minor)
           or exists (select 1 from inventory i where i.room_type_id = rt.id and i.night >= ${today}::date and i.price_override_minor is not null
                        and (i.price_override_minor < rt.price_floor_minor or i.price_override_minor > rt.price_ceiling_minor
                          or i.price_override_minor < case when triphub_is_weekend_night(i.night) then rt.weekend_floor_minor else rt.weekday_floor_minor end
                          or (i.price_override_minor > case when triphub_is_weekend_night(i.night) then coalesce(rt.weekend_price_minor, rt.base_price_minor) else rt.base_price_minor end
                              and not rt.premium_nights @> i.night)))) as prices,
        (select count(*)::int from room_types rt join properties p on p.id = rt.property_id
           where (rt.place_region, rt.place_city, rt.place_listed) is distinct from (lower(p.region), lower(p.city), p.status = 'listed')) as places`;
    expect(bad).toEqual({ prices: 0, places: 0 });
  }

  async function walk(over: Partial<SearchInput>, maxPages = Number.POSITIVE_INFINITY): Promise<Hit[]> {
    const store = createSearchStore(db);
    const hits: Hit[] = [];
    let pageToken = "";
    for (let pages = 0; pages < maxPages; pages++) {
      const page = await store.search(parseSearch(input({ ...over, pageToken }), now), now);
      hits.push(...page.hits.map((h) => ({ propertyId: h.property.id, roomTypeId: h.offer.roomTypeId })));
      pageToken = page.nextPageToken;
      if (pageToken === "") break;
    }
    return hits;
  }

  async function everyCandidatePriced(over: Partial<SearchInput>, match: DestinationMatch): Promise<Hit[]> {
    const q: SearchQuery = { ...parseSearch(input(over), now), pageSize: 10_000 };
    const rows = (await db.execute(pricedPageSql(q, match, now))) as unknown as Hit[];
    return rows.map((r) => ({ propertyId: r.propertyId, roomTypeId: r.roomTypeId }));
  }

  it("keeps the bounds as hosts discount, raise, reprice, price weekends, sell out, move and unlist", async () => {
    const calendar = createCalendarStore(db);
    const roomTypes = createRoomTypeStore(db);
    const r = rng(5);
    const all = await client<{ id: string; base: number; currency: string }[]>`select id, base_price_minor::float8 as base, currency from room_types order by id`;
    const pick = () => all[Math.floor(r() * all.length)]!;
    const range = () => {
      const start = new Date(now.getTime() + Math.floor(r() * 40) * 86_400_000).toISOString().slice(0, 10);
      const end = new Date(Date.parse(start) + (1 + Math.floor(r() * 6)) * 86_400_000).toISOString().slice(0, 10);
      return { startDate: start, endDate: end, weekdays: [] };
    };
    const price = (rt: (typeof all)[number], factor: number) => ({ priceOverride: { amountMinor: Math.round(rt.base * factor), currency: rt.currency } });
    for (let i = 0; i < 60; i++) {
      const rt = pick();
      // Discounts below the base price move floors down; premiums move ceilings up.
      const factor = i % 3 === 0 ? 0.4 + r() * 0.4 : 1.5 + r() * 2;
      await calendar.update(rt.id, { ...range(), settings: price(rt, factor), mask: ["price_override"] }, today);
    }
    for (let i = 0; i < 10; i++) {
      const rt = pick();
      await calendar.update(rt.id, { ...range(), settings: {}, mask: ["price_override"] }, today);
      // Sold out, where no unit is held or booked already (the store refuses that).
      await calendar
        .update(pick().id, { ...range(), settings: { availableUnits: 0 }, mask: ["available_units"] }, today)
        .catch((e: unknown) => expect((e as { kind?: string }).kind).toBe("precondition"));
    }
    for (let i = 0; i < 15; i++) {
      const rt = pick();
      const factor = i % 2 === 0 ? 0.6 : 1.8;
      await roomTypes.updateRoomType(rt.id, undefined, (x) => ({ ...x, basePrice: { ...x.basePrice, amountMinor: Math.round(rt.base * factor) } }), today);
    }
    // Every seeded room type starts with a weekend premium: some hosts raise it, some price
    // weekends below the base price (a floor below every night's base), some drop it.
    for (let i = 0; i < 30; i++) {
      const rt = pick();
      const factor = [0.5, 1.6, undefined, 0.8, 2.5][i % 5];
      const weekendPrice = factor === undefined ? undefined : { amountMinor: Math.round(rt.base * factor), currency: rt.currency };
      await roomTypes.updateRoomType(rt.id, undefined, (x) => ({ ...x, weekendPrice }), today);
    }
    const [moved] = await client`select id from properties where city = 'Seoul' order by id limit 1`;
    await client`update properties set city = 'Busan', region = 'Busan' where id = ${moved!.id}`;
    await client`update properties set status = 'unlisted' where id = (select id from properties where region = 'Jeju' order by id limit 1)`;
    await expectBoundsHold();
  });

  // Every page walks from the start of the place again, so anywhere pages in bigger pages.
  const places: { label: string; location: SearchInput["location"]; match: DestinationMatch; pageSize: number }[] = [
    { label: "a region (Seoul)", location: { kind: "text", text: "Seoul" }, match: "region", pageSize: 5 },
    { label: "a region of two cities (Jeju)", location: { kind: "text", text: "jeju" }, match: "region", pageSize: 5 },
    { label: "a city (Seogwipo)", location: { kind: "text", text: "Seogwipo" }, match: "city", pageSize: 3 },
    { label: "anywhere", location: { kind: "anywhere" }, match: "fuzzy", pageSize: 40 },
    // No room-type index here: candidates ranked by bound first, then walked (ranked-walk.ts).
    { label: "a circle (5 km in Seoul)", location: { kind: "near", latitude: 37.5665, longitude: 126.978, radiusKm: 5 }, match: "fuzzy", pageSize: 4 },
    { label: "a fuzzy destination (a name's word)", location: { kind: "text", text: "Harbour" }, match: "fuzzy", pageSize: 2 },
  ];
  const stays: Partial<SearchInput>[] = [
    { checkIn: "2026-03-05", checkOut: "2026-03-06" }, // a Thursday
    { checkIn: "2026-03-06", checkOut: "2026-03-08" }, // a weekend
    { checkIn: "2026-03-10", checkOut: "2026-03-14", adults: 3 },
    { checkIn: "2026-03-20", checkOut: "2026-03-23", adults: 1, rooms: 2 },
    { checkIn: "2026-03-12", checkOut: "2026-03-15", adults: 4, children: 1, rooms: 2 },
    { adults: 2 }, // no dates: from prices (the lower of base and weekend)
  ];

  for (const place of places) {
    for (const sort of ["price_asc", "price_desc"] as const) {
      it(`${place.label}, ${sort}: the same hits in the same order as pricing every candidate, page after page`, async () => {
        for (const stay of stays) {
          const over = { ...stay, location: place.location, sort, pageSize: place.pageSize };
          const expected = await everyCandidatePriced(over, place.match);
          expect(expected.length).toBeGreaterThan(0);
          expect(await walk(over)).toEqual(expected);
        }
      });
    }
  }

  // Small pages rank from a threshold set by the first few dozen properties, and further on
  // every later page (ranked-walk.ts).
  it("ranks dearest first from a threshold, and further when the walk needs more, as the full pricing does", async () => {
    const where = [
      { location: { kind: "text", text: "Seoul" } as const, match: "region" as const },
      { location: { kind: "anywhere" } as const, match: "fuzzy" as const },
    ];
    const cases: Partial<SearchInput>[] = [
      { checkIn: "2026-03-05", checkOut: "2026-03-06" },
      { checkIn: "2026-03-06", checkOut: "2026-03-09", maxPrice: { amountMinor: 150_000, currency: "KRW" } },
      { adults: 3 },
    ];
    for (const w of where) {
      for (const c of cases) {
        const over = { ...c, location: w.location, sort: "price_desc" as const, pageSize: 1 };
        // The first pages rank from a threshold; past ~30 properties, the ranking goes further.
        expect(await walk(over, 40)).toEqual((await everyCandidatePriced(over, w.match)).slice(0, 40));
      }
    }
  });

  // A property whose room type of highest ceiling (a premium night months away) is sold out for
  // the stay, and whose only other room type is priced below the first ranking's threshold: it
  // must still come at its own price, after the ranking has gone further.
  it("places a property by the room type it has free when its dearest one is sold out", async () => {
    // Four adults: only family rooms fit, so the property below offers only what is added here.
    const over = { checkIn: "2026-03-10", checkOut: "2026-03-12", adults: 4, location: { kind: "anywhere" } as const, sort: "price_desc" as const, pageSize: 1 };
    const q: SearchQuery = { ...parseSearch(input(over), now), pageSize: 10_000 };
    const offers = (await db.execute(pricedPageSql(q, "fuzzy", now))) as unknown as { unitTotal: number }[];
    expect(offers.length).toBeGreaterThan(60);
    // About the 45th offer: below the threshold the first ranking sets, within the pages compared.
    const nightly = Math.round(offers[44]!.unitTotal / 2);
    const [property] = await client<{ id: string }[]>`select p.id from properties p where p.status = 'listed'
      and not exists (select 1 from room_types r where r.property_id = p.id and r.max_adults >= 4) order by p.id limit 1`;
    const [far, plain] = await client<{ id: string }[]>`insert into room_types (property_id, name, max_adults, max_children, unit_count, base_price_minor, currency)
      values (${property!.id}, 'Far premium', 4, 0, 1, 10000, 'KRW'), (${property!.id}, 'Plain', 4, 0, 1, ${nightly}, 'KRW') returning id`;
    // Sold out for the stay; priced far above everything on a night months away.
    await client`insert into inventory (room_type_id, night, units_total, price_override_minor) values
      (${far!.id}, '2026-03-10', 0, null), (${far!.id}, '2026-03-11', 0, null), (${far!.id}, '2026-06-20', 1, 100000000)`;
    await client`select refresh_room_type_price_bounds(array[${far!.id}, ${plain!.id}]::uuid[], ${today}::date)`;
    const expected = (await everyCandidatePriced(over, "fuzzy")).slice(0, 60);
    expect(expected.map((h) => h.roomTypeId)).toContain(plain!.id);
    expect(await walk(over, 60)).toEqual(expected);
  });

  it("walks circles with rare amenities and price filters as the full pricing does", async () => {
    const circle = { kind: "near", latitude: 37.5665, longitude: 126.978, radiusKm: 8 } as const;
    // A pool is rare: the walk passes many candidates without an offer.
    for (const c of [{}, { amenities: ["pool" as const] }, { maxPrice: { amountMinor: 120_000, currency: "KRW" } }]) {
      for (const sort of ["price_asc", "price_desc"] as const) {
        const over = { checkIn: "2026-03-13", checkOut: "2026-03-15", location: circle, sort, pageSize: 3, ...c };
        expect(await walk(over)).toEqual(await everyCandidatePriced(over, "fuzzy"));
      }
    }
  });

  it("applies nightly price filters, amenities and types on the walk as the full pricing does", async () => {
    const cases: Partial<SearchInput>[] = [
      { minPrice: { amountMinor: 90_000, currency: "KRW" }, maxPrice: { amountMinor: 160_000, currency: "KRW" } },
      { maxPrice: { amountMinor: 100_000, currency: "KRW" }, sort: "price_desc" },
      { minPrice: { amountMinor: 200_000, currency: "KRW" }, sort: "price_desc" },
      { amenities: ["wifi", "tv"] },
      { types: ["hotel", "guesthouse"], freeCancellationOnly: true, sort: "price_desc" },
    ];
    for (const c of cases) {
      const over = { checkIn: "2026-03-06", checkOut: "2026-03-09", location: { kind: "text", text: "Seoul" } as const, ...c };
      expect(await walk(over)).toEqual(await everyCandidatePriced(over, "region"));
    }
  });

  it("counts exactly when the walk reaches the end of the place", async () => {
    const store = createSearchStore(db);
    const over = { location: { kind: "text", text: "Seogwipo" } as const, checkIn: "2026-03-06", checkOut: "2026-03-08", pageSize: 100 };
    const page = await store.search(parseSearch(input(over), now), now);
    expect(page.totalSize).toBe((await everyCandidatePriced(over, "city")).length);
  });

  it("lets hosts change one room type's prices concurrently without deadlocks, and the bounds stay right", async () => {
    const calendar = createCalendarStore(db);
    const roomTypes = createRoomTypeStore(db);
    const [rt] = await client<{ id: string; base: number; currency: string }[]>`select id, base_price_minor::float8 as base, currency from room_types order by id limit 1`;
    const writes = Array.from({ length: 24 }, (_, i) => {
      const startDate = `2026-03-${String(2 + (i % 20)).padStart(2, "0")}`;
      const endDate = `2026-03-${String(4 + (i % 20)).padStart(2, "0")}`;
      if (i % 8 === 7) {
        return roomTypes.updateRoomType(rt!.id, undefined, (x) => ({ ...x, basePrice: { ...x.basePrice, amountMinor: rt!.base + i * 1000 } }), today);
      }
      if (i % 8 === 3) {
        return roomTypes.updateRoomType(rt!.id, undefined, (x) => ({ ...x, weekendPrice: { ...x.basePrice, amountMinor: Math.round(rt!.base * 0.3) + i } }), today);
      }
      const amountMinor = Math.round(rt!.base * (i % 2 === 0 ? 0.5 : 2) + i);
      return calendar.update(rt!.id, { startDate, endDate, weekdays: [], settings: { priceOverride: { amountMinor, currency: rt!.currency } }, mask: ["price_override"] }, today);
    });
    const results = await Promise.allSettled(writes);
    expect(results.filter((x) => x.status === "rejected")).toEqual([]);
    await expectBoundsHold();
  });
});
