import { Code } from "@connectrpc/connect";
import { Amenity, PropertyType } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { OfferUnavailableReason, SearchSort } from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { SearchAccommodationsRequestSchema } from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detailsOf, doubleRoom, guesthouse, host, type Platform, rpcError, startPlatform, type TestUser } from "./rpc-harness.js";

let p: Platform;
let owner: TestUser;
beforeAll(async () => {
  p = await startPlatform("acc_rpc_search");
  owner = await host(p);
});
afterAll(() => p?.close());

type PropInit = Parameters<typeof guesthouse>[0];
type RoomInit = Parameters<typeof doubleRoom>[1];
type Query = MessageInitShape<typeof SearchAccommodationsRequestSchema>;

/** A listed property in `city` with the given room types (one double room by default). */
async function listed(city: string, prop: PropInit = {}, rooms: { units?: number; room?: RoomInit }[] = [{}], location?: { latitude: number; longitude: number }) {
  const address = { line1: "1 Main-ro", city, region: city, countryCode: "KR", location: location ?? { latitude: 37.5826, longitude: 126.9831 } };
  const { property } = await owner.api.createProperty({ property: guesthouse({ ...prop, address }) });
  const id = property!.propertyId;
  const roomTypeIds: string[] = [];
  for (const r of rooms) {
    const { roomType } = await owner.api.createRoomType({ propertyId: id, roomType: doubleRoom(r.units ?? 3, r.room ?? {}) });
    roomTypeIds.push(roomType!.roomTypeId);
  }
  await owner.api.publishProperty({ propertyId: id });
  return { id, roomTypeIds };
}

const search = (q: Query) => p.internal.searchAccommodations(q);
const ids = async (q: Query) => (await search(q)).results.map((r) => r.accommodation!.propertyId);
const stay = { checkIn: "2026-04-10", checkOut: "2026-04-13" };

async function setNights(propertyId: string, roomTypeId: string, startDate: string, endDate: string, settings: Record<string, unknown>, paths: string[]) {
  await owner.api.updateCalendar({ propertyId, roomTypeId, startDate, endDate, settings, updateMask: { paths } });
}

async function allPages(q: Query): Promise<string[]> {
  const seen: string[] = [];
  let pageToken = "";
  for (let i = 0; i < 50; i++) {
    const page = await search({ ...q, pageToken });
    seen.push(...page.results.map((r) => r.accommodation!.propertyId));
    if (page.nextPageToken === "") return seen;
    pageToken = page.nextPageToken;
  }
  throw new Error("too many pages");
}

describe("destination and availability", () => {
  it("finds listed properties by city, case-insensitively, with fuzzy spelling, and never drafts or unlisted ones", async () => {
    const a = await listed("Andong");
    const b = await listed("Andong", { name: "Hahoe Village House" });
    const { property: draft } = await owner.api.createProperty({ property: guesthouse({ address: { ...guesthouse().address, city: "Andong" } }) });
    const c = await listed("Andong");
    await owner.api.unpublishProperty({ propertyId: c.id });
    await listed("Tongyeong");
    expect(new Set(await ids({ location: { case: "destination", value: "andong" } }))).toEqual(new Set([a.id, b.id]));
    expect(new Set(await ids({ location: { case: "destination", value: "Andongg" } }))).toEqual(new Set([a.id, b.id]));
    expect(await ids({ location: { case: "destination", value: "Hahoe" } })).toEqual([b.id]);
    expect(await ids({ location: { case: "destination", value: "Andong" } })).not.toContain(draft!.propertyId);
  });

  it("prices the stay night by night for the rooms asked and excludes a property sold out on any night", async () => {
    const free = await listed("Sokcho");
    const soldOut = await listed("Sokcho", {}, [{ units: 2 }]);
    await setNights(free.id, free.roomTypeIds[0], "2026-04-11", "2026-04-12", { priceOverride: { amountMinor: 150_000n, currencyCode: "KRW" } }, ["price_override"]);
    await setNights(soldOut.id, soldOut.roomTypeIds[0], "2026-04-12", "2026-04-13", { availableUnits: 1 }, ["available_units"]);
    const res = await search({ location: { case: "destination", value: "Sokcho" }, ...stay, adults: 3, rooms: 2 });
    expect(res.results.map((r) => r.accommodation!.propertyId)).toEqual([free.id]);
    const offer = res.results[0].bestOffer!;
    expect(offer).toMatchObject({ roomTypeId: free.roomTypeIds[0], units: 2, available: true, remainingUnits: 3 });
    expect(offer.price!.nights.map((n) => [n.date, n.price!.amountMinor])).toEqual([
      ["2026-04-10", 120_000n],
      ["2026-04-11", 150_000n],
      ["2026-04-12", 120_000n],
    ]);
    expect(offer.price!.total!.amountMinor).toBe(780_000n);
    expect(offer.price!.averageNightly!.amountMinor).toBe(130_000n);
    // One room for the same dates fits on the sold-out night's last unit.
    expect(new Set(await ids({ location: { case: "destination", value: "Sokcho" }, ...stay, adults: 2 }))).toEqual(new Set([free.id, soldOut.id]));
  });

  it("respects minimum stay, closed to arrival and closed to departure", async () => {
    const minStay = await listed("Gyeongju");
    const cta = await listed("Gyeongju");
    const ctd = await listed("Gyeongju");
    const plain = await listed("Gyeongju");
    await setNights(minStay.id, minStay.roomTypeIds[0], "2026-04-10", "2026-04-11", { minStayNights: 4 }, ["min_stay_nights"]);
    await setNights(cta.id, cta.roomTypeIds[0], "2026-04-10", "2026-04-11", { closedToArrival: true }, ["closed_to_arrival"]);
    await setNights(ctd.id, ctd.roomTypeIds[0], "2026-04-13", "2026-04-14", { closedToDeparture: true }, ["closed_to_departure"]);
    expect(await ids({ location: { case: "destination", value: "Gyeongju" }, ...stay })).toEqual([plain.id]);
    const longer = await ids({ location: { case: "destination", value: "Gyeongju" }, checkIn: "2026-04-10", checkOut: "2026-04-14" });
    expect(new Set(longer)).toEqual(new Set([minStay.id, ctd.id, plain.id]));
  });

  it("leaves out room types the party does not fit in and picks the cheapest one that fits", async () => {
    const p1 = await listed("Jeonju", {}, [
      { room: { name: "Single", maxAdults: 1, maxChildren: 0, baseNightlyPrice: { amountMinor: 50_000n, currencyCode: "KRW" } } },
      { room: { name: "Family", maxAdults: 4, maxChildren: 2, baseNightlyPrice: { amountMinor: 200_000n, currencyCode: "KRW" } } },
    ]);
    const solo = await search({ location: { case: "destination", value: "Jeonju" }, ...stay, adults: 1 });
    expect(solo.results[0].bestOffer?.roomTypeName).toBe("Single");
    const family = await search({ location: { case: "destination", value: "Jeonju" }, ...stay, adults: 3, children: 2 });
    expect(family.results[0].bestOffer).toMatchObject({ roomTypeId: p1.roomTypeIds[1], roomTypeName: "Family" });
    expect(await ids({ location: { case: "destination", value: "Jeonju" }, ...stay, adults: 5, children: 2 })).toEqual([]);
  });

  it("searches a circle on the map and sorts by distance", async () => {
    const at = (latitude: number, longitude: number): [PropInit, { units?: number }[], { latitude: number; longitude: number }] => [{}, [{}], { latitude, longitude }];
    const centre = await listed("Busan", ...at(35.1587, 129.1604)); // Haeundae
    const near = await listed("Busan", ...at(35.1532, 129.1187)); // Gwangalli, ~4 km
    await listed("Busan", ...at(35.0968, 129.0306)); // Nampo, ~14 km
    const res = await search({ location: { case: "near", value: { center: { latitude: 35.1587, longitude: 129.1604 }, radiusKm: 8 } }, sort: SearchSort.DISTANCE_ASC });
    expect(res.results.map((r) => r.accommodation!.propertyId)).toEqual([centre.id, near.id]);
    expect(res.results[0].distanceKm).toBeLessThan(0.01);
    expect(res.results[1].distanceKm).toBeGreaterThan(3);
    expect(res.results[1].distanceKm).toBeLessThan(5);
  });

  it("finds a circle across the antimeridian and near a pole, where no latitude/longitude box fits", async () => {
    const at = (latitude: number, longitude: number): [PropInit, { units?: number }[], { latitude: number; longitude: number }] => [{}, [{}], { latitude, longitude }];
    const east = await listed("Taveuni", ...at(-16.8, 179.95));
    const west = await listed("Taveuni", ...at(-16.8, -179.95)); // ~10.7 km east of `east`, across 180°
    const circle = (latitude: number, longitude: number, radiusKm: number): Query => ({ location: { case: "near", value: { center: { latitude, longitude }, radiusKm } }, sort: SearchSort.DISTANCE_ASC });
    expect(await ids(circle(-16.8, 179.95, 20))).toEqual([east.id, west.id]);
    const polar = await listed("Longyearbyen", ...at(89.5, 15.6));
    expect(await ids(circle(89.4, -160, 130))).toEqual([polar.id]); // ~122 km, over the pole
    expect(await ids(circle(89.4, -160, 110))).toEqual([]);
  });
});

describe("filters and sorts", () => {
  let cheap: string;
  let mid: string;
  let dear: string;
  let usd: string;
  beforeAll(async () => {
    const krw = (n: bigint) => ({ room: { baseNightlyPrice: { amountMinor: n, currencyCode: "KRW" } } });
    cheap = (await listed("Chuncheon", { propertyType: PropertyType.HOSTEL, amenities: [Amenity.WIFI], cancellationPolicy: CancellationPolicy.NON_REFUNDABLE }, [krw(40_000n)])).id;
    mid = (await listed("Chuncheon", { propertyType: PropertyType.HOTEL, amenities: [Amenity.WIFI, Amenity.POOL], cancellationPolicy: CancellationPolicy.FLEXIBLE }, [krw(90_000n)])).id;
    dear = (await listed("Chuncheon", { propertyType: PropertyType.HOTEL, amenities: [Amenity.SPA], cancellationPolicy: CancellationPolicy.STRICT }, [
      { room: { baseNightlyPrice: { amountMinor: 300_000n, currencyCode: "KRW" }, amenities: [Amenity.POOL, Amenity.WIFI] } },
    ])).id;
    usd = (await listed("Chuncheon", { currencyCode: "USD" }, [{ room: { baseNightlyPrice: { amountMinor: 9_000n, currencyCode: "USD" } } }])).id;
    // As review's statistics would set them: its ranking score has a prior of 10 reviews of 3.5.
    const rate = (id: string, avg: number, count: number) =>
      p.database.sql`update properties set rating_average = ${avg}, rating_count = ${count},
        rating_score = ${(10 * 3.5 + avg * count) / (10 + count)} where id = ${id}`;
    await rate(cheap, 3.9, 10);
    await rate(mid, 4.6, 50);
    await rate(dear, 4.6, 200);
  });
  const q: Query = { location: { case: "destination", value: "Chuncheon" }, ...stay };

  it("filters by nightly price in the property's currency", async () => {
    const krw = (n: bigint) => ({ amountMinor: n, currencyCode: "KRW" });
    expect(new Set(await ids({ ...q, minNightlyPrice: krw(50_000n), maxNightlyPrice: krw(300_000n) }))).toEqual(new Set([mid, dear]));
    expect(await ids({ ...q, maxNightlyPrice: krw(50_000n) })).toEqual([cheap]);
    expect(await ids({ ...q, maxNightlyPrice: { amountMinor: 10_000n, currencyCode: "USD" } })).toEqual([usd]);
  });

  it("filters by property type, by amenities on the property or the room, by rating and by free cancellation", async () => {
    expect(new Set(await ids({ ...q, propertyTypes: [PropertyType.HOTEL] }))).toEqual(new Set([mid, dear]));
    expect(new Set(await ids({ ...q, amenities: [Amenity.WIFI, Amenity.POOL] }))).toEqual(new Set([mid, dear]));
    expect(await ids({ ...q, amenities: [Amenity.SPA, Amenity.POOL] })).toEqual([dear]);
    expect(new Set(await ids({ ...q, minRating: 4.5 }))).toEqual(new Set([mid, dear]));
    // Check-in 40 days ahead: flexible, moderate and strict (booked 14+ days out) all have a
    // free window still ahead; without dates only flexible and moderate count.
    expect(new Set(await ids({ ...q, freeCancellationOnly: true }))).toEqual(new Set([mid, dear, usd]));
    expect(new Set(await ids({ location: { case: "destination", value: "Chuncheon" }, freeCancellationOnly: true }))).toEqual(new Set([mid, usd]));
  });

  it("sorts by price both ways and by rating with review count breaking ties", async () => {
    const krwOnly: Query = { ...q, maxNightlyPrice: { amountMinor: 1_000_000n, currencyCode: "KRW" } };
    expect(await ids({ ...krwOnly, sort: SearchSort.PRICE_ASC })).toEqual([cheap, mid, dear]);
    expect(await ids({ ...krwOnly, sort: SearchSort.PRICE_DESC })).toEqual([dear, mid, cheap]);
    expect((await ids({ ...q, sort: SearchSort.RATING_DESC })).slice(0, 3)).toEqual([dear, mid, cheap]);
    const res = await search({ ...q, sort: SearchSort.RELEVANCE });
    expect(res.totalSize).toBe(4);
    expect(res.results[0].accommodation).toMatchObject({ city: "Chuncheon", lowestNightlyPrice: expect.anything() });
  });
});

describe("pagination", () => {
  it.each([
    ["relevance", SearchSort.RELEVANCE],
    ["price", SearchSort.PRICE_ASC],
    ["price desc", SearchSort.PRICE_DESC],
    ["rating", SearchSort.RATING_DESC],
  ])("pages through every match once, by %s", async (_name, sort) => {
    if (!paged) paged = await seedPaged();
    const got = await allPages({ location: { case: "destination", value: "Mokpo" }, ...stay, sort, pageSize: 3 });
    expect(got).toHaveLength(paged.length);
    expect(new Set(got)).toEqual(new Set(paged));
    expect(await allPages({ location: { case: "destination", value: "Mokpo" }, sort, pageSize: 4 })).toHaveLength(paged.length);
  });

  it("counts exactly when one page holds every match, and estimates within the candidates when it does not", async () => {
    const props = [];
    for (let i = 0; i < 6; i++) props.push(await listed("Boryeong"));
    for (const sold of props.slice(0, 3)) await setNights(sold.id, sold.roomTypeIds[0], "2026-04-11", "2026-04-12", { availableUnits: 0 }, ["available_units"]);
    const q: Query = { location: { case: "destination", value: "Boryeong" }, ...stay };
    const free = new Set(props.slice(3).map((x) => x.id));
    for (const sort of [SearchSort.RELEVANCE, SearchSort.PRICE_ASC]) {
      const whole = await search({ ...q, sort, pageSize: 10 });
      expect(new Set(whole.results.map((r) => r.accommodation!.propertyId))).toEqual(free);
      expect(whole.totalSize).toBe(3);
    }
    // Relevance looks at candidates only until the page is full, so the total is an estimate:
    // at least what was found, at most every candidate.
    const first = await search({ ...q, sort: SearchSort.RELEVANCE, pageSize: 1 });
    expect(first.totalSize).toBeGreaterThanOrEqual(1);
    expect(first.totalSize).toBeLessThanOrEqual(6);
    expect(new Set(await allPages({ ...q, sort: SearchSort.RELEVANCE, pageSize: 1 }))).toEqual(free);
  });

  it("refuses a page token made for another sort or another destination (AIP-158)", async () => {
    if (!paged) paged = await seedPaged();
    const first = await search({ location: { case: "destination", value: "Mokpo" }, pageSize: 2, sort: SearchSort.PRICE_ASC });
    expect(first.nextPageToken).not.toBe("");
    for (const other of [
      { location: { case: "destination", value: "Mokpo" }, sort: SearchSort.RATING_DESC },
      { location: { case: "destination", value: "Busan" }, sort: SearchSort.PRICE_ASC },
    ] as const) {
      const err = await rpcError(search({ ...other, pageSize: 2, pageToken: first.nextPageToken }));
      expect(detailsOf(err)).toMatchObject({ code: Code.InvalidArgument, fields: ["page_token"] });
    }
  });
});

let paged: string[] | undefined;
async function seedPaged(): Promise<string[]> {
  const out: string[] = [];
  // Pairs share a price, so ties must be broken by id for pages to be stable.
  for (let i = 0; i < 10; i++) {
    const price = BigInt(50_000 + Math.floor(i / 2) * 10_000);
    out.push((await listed("Mokpo", {}, [{ room: { baseNightlyPrice: { amountMinor: price, currencyCode: "KRW" } } }])).id);
  }
  return out;
}

describe("invalid input", () => {
  it.each<[string, Query, string]>([
    ["check-out before check-in", { checkIn: "2026-04-10", checkOut: "2026-04-09" }, "check_out"],
    ["a stay over 30 nights", { checkIn: "2026-04-10", checkOut: "2026-05-11" }, "check_out"],
    ["a check-in in the past", { checkIn: "2026-02-10", checkOut: "2026-02-12" }, "check_in"],
    ["a page token from nowhere", { pageToken: "bm9wZQ" }, "page_token"],
  ])("answers INVALID_ARGUMENT for %s", async (_case, req, field) => {
    const err = await rpcError(search(req));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(`${err.message} ${detailsOf(err).fields.join(" ")}`).toContain(field);
  });

  it("refuses a NUL in the destination as INVALID_ARGUMENT naming it, not INTERNAL", async () => {
    const err = await rpcError(search({ location: { case: "destination", value: "Se\u0000oul" }, ...stay }));
    expect(detailsOf(err)).toMatchObject({ code: Code.InvalidArgument, fields: ["destination"] });
  });

  it("refuses 500 unknown amenities as INVALID_ARGUMENT with the first 20 violations, not a broken stream", async () => {
    const err = await rpcError(search({ amenities: Array(500).fill(999), ...stay }));
    const { code, fields } = detailsOf(err);
    expect(code).toBe(Code.InvalidArgument);
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.length).toBeLessThanOrEqual(20);
    expect(err.rawMessage).toMatch(/more not listed/);
  });

  it("refuses a distance sort without a circle", async () => {
    expect((await rpcError(search({ sort: SearchSort.DISTANCE_ASC }))).code).toBe(Code.InvalidArgument);
  });
});

describe("GetAccommodation", () => {
  it("shows a listed property to anyone, with room types and an offer per room type for dates", async () => {
    const prop = await listed("Yeosu", {}, [{ units: 1 }, { units: 2, room: { name: "Twin", baseNightlyPrice: { amountMinor: 100_000n, currencyCode: "KRW" } } }]);
    await setNights(prop.id, prop.roomTypeIds[0], "2026-04-11", "2026-04-12", { availableUnits: 0 }, ["available_units"]);
    const res = await p.internal.getAccommodation({ propertyId: prop.id, ...stay, adults: 2 });
    expect(res.property).toMatchObject({ propertyId: prop.id, lowestNightlyPrice: { amountMinor: 100_000n } });
    expect(res.roomTypes).toHaveLength(2);
    expect(res.offers.map((o) => [o.roomTypeName, o.available])).toEqual([["Twin", true], ["Ondol Double", false]]);
    expect(res.offers[0].price?.total?.amountMinor).toBe(300_000n);
    expect(res.offers[0].freeCancellationUntil).toBeDefined();
    expect(res.offers[1]).toMatchObject({ unavailableReason: OfferUnavailableReason.SOLD_OUT, remainingUnits: 0 });
    expect((await p.internal.getAccommodation({ propertyId: prop.id })).offers).toEqual([]);
  });

  it("hides a draft from everyone but its owner and admins", async () => {
    const { property } = await owner.api.createProperty({ property: guesthouse() });
    const id = property!.propertyId;
    expect((await rpcError(p.internal.getAccommodation({ propertyId: id }))).code).toBe(Code.NotFound);
    expect((await rpcError((await p.user()).api.getAccommodation({ propertyId: id }))).code).toBe(Code.NotFound);
    expect((await owner.api.getAccommodation({ propertyId: id })).property?.propertyId).toBe(id);
    expect((await p.admin.api.getAccommodation({ propertyId: id })).property?.propertyId).toBe(id);
  });

  it("answers INVALID_ARGUMENT for past dates", async () => {
    const prop = await listed("Yeosu");
    const err = await rpcError(p.internal.getAccommodation({ propertyId: prop.id, checkIn: "2026-02-01", checkOut: "2026-02-03" }));
    expect(err.code).toBe(Code.InvalidArgument);
  });
});
