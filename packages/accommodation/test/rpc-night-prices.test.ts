import { randomUUID } from "node:crypto";
import { SearchSort } from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { SearchAccommodationsRequestSchema } from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doubleRoom, guesthouse, host, type Platform, startPlatform, type TestUser } from "./rpc-harness.js";

// A night costs its override, else the weekend price on a Friday or Saturday night, else the
// base price. Search prices nights in SQL (its sort and filter total, and the breakdown it
// shows); GetAccommodation and holds price them in TypeScript: all must agree.

let p: Platform;
let owner: TestUser;
beforeAll(async () => {
  p = await startPlatform("acc_rpc_night_prices");
  owner = await host(p);
});
afterAll(() => p?.close());

type Query = MessageInitShape<typeof SearchAccommodationsRequestSchema>;
const krw = (amountMinor: bigint) => ({ amountMinor, currencyCode: "KRW" });

/** A listed property in `city` with one room type priced `base` a night, and `weekend` on Friday and Saturday nights. */
async function listed(city: string, base: bigint, weekend?: bigint) {
  const address = { ...guesthouse().address, city, region: city };
  const { property } = await owner.api.createProperty({ property: guesthouse({ address }) });
  const propertyId = property!.propertyId;
  const room = { baseNightlyPrice: krw(base), weekendNightlyPrice: weekend === undefined ? undefined : krw(weekend) };
  const { roomType } = await owner.api.createRoomType({ propertyId, roomType: doubleRoom(3, room) });
  await owner.api.publishProperty({ propertyId });
  return { propertyId, roomTypeId: roomType!.roomTypeId };
}

const ids = async (q: Query) => (await p.internal.searchAccommodations(q)).results.map((r) => r.accommodation!.propertyId);

// 2026-04-09 is a Thursday.
describe("weekend prices in search, offers and holds", () => {
  it("price a stay from Thursday night by the rule in search, GetAccommodation and a hold alike", async () => {
    const room = await listed("Gangneung", 120_000n, 150_000n);
    // Saturday's override wins over the weekend price.
    const saturday = { ...room, startDate: "2026-04-11", endDate: "2026-04-12" };
    await owner.api.updateCalendar({ ...saturday, settings: { priceOverride: krw(170_000n) }, updateMask: { paths: ["price_override"] } });
    const byRule: [string, bigint][] = [["2026-04-09", 120_000n], ["2026-04-10", 150_000n], ["2026-04-11", 170_000n], ["2026-04-12", 120_000n]];

    for (const checkOut of ["2026-04-12", "2026-04-13"]) {
      const stay = { checkIn: "2026-04-09", checkOut };
      const nights = byRule.filter(([date]) => date < checkOut);
      const total = nights.reduce((sum, [, price]) => sum + price, 0n);
      const q: Query = { location: { case: "destination", value: "Gangneung" }, ...stay, sort: SearchSort.PRICE_ASC };
      const offer = (await p.internal.searchAccommodations(q)).results[0]?.bestOffer;
      expect(offer?.price?.nights.map((n) => [n.date, n.price?.amountMinor])).toEqual(nights);
      expect(offer?.price?.total?.amountMinor).toBe(total);
      // The filter reads the SQL's own total: its average nightly price sits exactly on the bound.
      const average = total / BigInt(nights.length);
      expect(await ids({ ...q, minNightlyPrice: krw(average), maxNightlyPrice: krw(average) })).toEqual([room.propertyId]);
      expect(await ids({ ...q, maxNightlyPrice: krw(average - 1n) })).toEqual([]);
      expect(await ids({ ...q, minNightlyPrice: krw(average + 1n) })).toEqual([]);

      const { offers } = await p.internal.getAccommodation({ propertyId: room.propertyId, ...stay, adults: 2 });
      expect(offers[0]?.price).toEqual(offer?.price);
      const guests = { adults: 2, children: 0 };
      const { hold } = await p.internal.holdInventory({ ...room, reservationId: randomUUID(), ...stay, units: 1, guests });
      expect(hold?.price).toEqual(offer?.price);
    }
  });

  it("sort by the stay's price and the from price, with weekend prices above and below the base price", async () => {
    const premium = (await listed("Samcheok", 100_000n, 200_000n)).propertyId;
    const flat = (await listed("Samcheok", 130_000n)).propertyId;
    const discount = (await listed("Samcheok", 150_000n, 60_000n)).propertyId;
    const q = (stay: { checkIn?: string; checkOut?: string; sort?: SearchSort }): Query => ({ location: { case: "destination", value: "Samcheok" }, sort: SearchSort.PRICE_ASC, ...stay });
    // Thursday to Sunday, two weekend nights: 500,000, 390,000 and 270,000.
    expect(await ids(q({ checkIn: "2026-04-09", checkOut: "2026-04-12" }))).toEqual([discount, flat, premium]);
    expect(await ids(q({ checkIn: "2026-04-09", checkOut: "2026-04-12", sort: SearchSort.PRICE_DESC }))).toEqual([premium, flat, discount]);
    // Monday to Thursday, no weekend night: 300,000, 390,000 and 450,000.
    expect(await ids(q({ checkIn: "2026-04-13", checkOut: "2026-04-16" }))).toEqual([premium, flat, discount]);
    // Without dates, by the from price: the lower of base and weekend (60,000, 100,000, 130,000).
    const undated = await p.internal.searchAccommodations(q({}));
    expect(undated.results.map((r) => [r.accommodation!.propertyId, r.accommodation!.lowestNightlyPrice?.amountMinor])).toEqual([
      [discount, 60_000n],
      [premium, 100_000n],
      [flat, 130_000n],
    ]);
    expect((await p.internal.getAccommodation({ propertyId: discount })).property?.lowestNightlyPrice).toMatchObject(krw(60_000n));
  });
});
