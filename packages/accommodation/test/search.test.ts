import { describe, expect, it } from "vitest";
import { decodeSearchCursor, encodeSearchCursor, parseSearch, type SearchInput, searchScope, sortKeys } from "../src/domain/search.js";
import { thrown } from "./fixtures.js";

const now = new Date("2026-03-01T12:00:00.000Z");
const input = (over: Partial<SearchInput> = {}): SearchInput => ({
  location: { kind: "anywhere" }, countryCode: "", checkIn: "", checkOut: "", adults: 0, children: 0, rooms: 0,
  minPrice: undefined, maxPrice: undefined, types: [], amenities: [], minRating: 0, freeCancellationOnly: false,
  sort: "relevance", pageSize: 0, pageToken: "", ...over,
});

describe("parseSearch", () => {
  it("reads 0 as one adult, one room and the default page size", () => {
    expect(parseSearch(input(), now)).toMatchObject({ adults: 1, units: 1, pageSize: 20, dates: undefined, price: undefined });
  });

  it("counts the nights of a stay and caps the page size at 50", () => {
    const q = parseSearch(input({ checkIn: "2026-04-10", checkOut: "2026-04-13", pageSize: 500 }), now);
    expect(q.dates).toEqual({ checkIn: "2026-04-10", checkOut: "2026-04-13", nights: 3 });
    expect(q.pageSize).toBe(50);
  });

  it.each<[string, Partial<SearchInput>, string]>([
    ["check-out on check-in", { checkIn: "2026-04-10", checkOut: "2026-04-10" }, "check_out"],
    ["31 nights", { checkIn: "2026-04-01", checkOut: "2026-05-02" }, "check_out"],
    ["a check-in past everywhere on Earth", { checkIn: "2026-02-27", checkOut: "2026-03-02" }, "check_in"],
    ["an impossible date", { checkIn: "2026-02-30", checkOut: "2026-03-02" }, "check_in"],
    ["a nightly price filter in two currencies", { minPrice: { amountMinor: 1, currency: "KRW" }, maxPrice: { amountMinor: 5, currency: "USD" } }, "max_nightly_price.currency_code"],
    ["min above max", { minPrice: { amountMinor: 9, currency: "KRW" }, maxPrice: { amountMinor: 5, currency: "KRW" } }, "max_nightly_price"],
    ["a negative price", { minPrice: { amountMinor: -1, currency: "KRW" } }, "min_nightly_price.amount_minor"],
    ["a distance sort without a circle", { sort: "distance_asc" }, "sort"],
  ])("refuses %s", (_case, over, field) => {
    expect(thrown(() => parseSearch(input(over), now)).details.violations?.map((v) => v.field)).toContain(field);
  });

  it("accepts a check-in that is still today somewhere (west of UTC)", () => {
    expect(parseSearch(input({ checkIn: "2026-02-28", checkOut: "2026-03-02" }), new Date("2026-03-01T05:00:00Z")).dates?.nights).toBe(2);
  });
});

describe("search cursors", () => {
  const id = "0b8f4a52-6d1e-4d8a-9d49-2c3f3b1f7a10";

  const scope = (over: Partial<SearchInput>) => searchScope(parseSearch(input(over), now));

  it("round-trips float keys exactly", () => {
    const c = { k1: -1.2345678901234567, k2: 0, id };
    expect(decodeSearchCursor(encodeSearchCursor(c, scope({})), scope({}))).toEqual(c);
  });

  it.each(["", "bm9wZQ", Buffer.from('["abc",1,0,"x"]').toString("base64url")])("refuses the token %j", (token) => {
    expect(thrown(() => decodeSearchCursor(token, scope({}))).kind).toBe("invalid");
  });

  it("refuses a token of another search: another sort, place, stay, party or filter", () => {
    const token = encodeSearchCursor({ k1: 1, k2: 0, id }, scope({ sort: "price_asc" }));
    for (const other of [
      { sort: "price_desc" as const },
      { sort: "price_asc" as const, location: { kind: "text" as const, text: "Busan" } },
      { sort: "price_asc" as const, adults: 3 },
      { sort: "price_asc" as const, amenities: ["pool" as const] },
    ]) {
      const e = thrown(() => decodeSearchCursor(token, scope(other)));
      expect(e.kind).toBe("invalid");
      expect(e.message).toMatch(/different search/);
    }
  });

  it("takes a token for the same search however its filters are ordered or the page size changes", () => {
    const token = encodeSearchCursor({ k1: 1, k2: 0, id }, scope({ types: ["hotel", "hostel"], pageSize: 10 }));
    expect(decodeSearchCursor(token, scope({ types: ["hostel", "hotel"], pageSize: 30 })).id).toBe(id);
  });

  it.each([
    ["relevance", [-0.9, 0]],
    ["price_asc", [500, 0]],
    ["price_desc", [-500, 0]],
    ["rating_desc", [-4.5, -12]],
    ["distance_asc", [3.2, 0]],
  ] as const)("orders %s ascending on its keys", (sort, keys) => {
    expect(sortKeys(sort, { unitTotal: 500, ratingScore: 4.5, ratingCount: 12, distanceKm: 3.2, relevance: 0.9 })).toEqual(keys);
  });
});
