import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { identityKey, notFound } from "@triphub/platform";
import { canView } from "../domain/access.js";
import { localDate } from "../domain/dates.js";
import { fromPriceMinor } from "../domain/night-price.js";
import { roomOffer, sortOffers } from "../domain/offer.js";
import { parseSearch } from "../domain/search.js";
import { parseStay } from "../domain/stay.js";
import { toProtoMoney } from "../proto-mapping/common.js";
import { toProtoProperty } from "../proto-mapping/property.js";
import { toProtoRoomType } from "../proto-mapping/room-type.js";
import { searchInputFromProto, toProtoRoomOffer, toProtoSearchResult } from "../proto-mapping/search.js";
import type { PropertyStore } from "../store/property-store.js";
import type { RoomTypeStore } from "../store/room-type-store.js";
import type { SearchStore } from "../store/search/index.js";

type SearchRpcs = Pick<ServiceImpl<typeof AccommodationService>, "searchAccommodations" | "getAccommodation">;

/** What the guest-facing reads need. */
export interface SearchDeps {
  properties: PropertyStore;
  roomTypes: RoomTypeStore;
  search: SearchStore;
  now: () => Date;
}

// Public RPCs: a token is optional, and only decides whether a draft is visible to its owner.
const caller = (ctx: HandlerContext) => ctx.values.get(identityKey);

/** SearchAccommodations and GetAccommodation: public reads of listed properties. */
export function searchRpcs(d: SearchDeps): SearchRpcs {
  return {
    async searchAccommodations(req) {
      const now = d.now();
      const q = parseSearch(searchInputFromProto(req), now);
      const page = await d.search.search(q, now);
      return {
        results: page.hits.map((h) => toProtoSearchResult(h, q, now)),
        nextPageToken: page.nextPageToken,
        totalSize: page.totalSize,
      };
    },

    async getAccommodation(req, ctx) {
      const now = d.now();
      const property = await d.properties.get(req.propertyId);
      if (!property || !canView(caller(ctx), property)) throw notFound("property", req.propertyId);
      const { roomTypes } = await d.roomTypes.listByProperty(property.id, { pageSize: 100 });
      const proto = toProtoProperty(property);
      const lowest = roomTypes.length === 0 ? undefined : Math.min(...roomTypes.map(fromPriceMinor));
      if (lowest !== undefined) proto.lowestNightlyPrice = toProtoMoney({ amountMinor: lowest, currency: property.currency });
      if (req.checkIn === "" && req.checkOut === "") return { property: proto, roomTypes: roomTypes.map(toProtoRoomType), offers: [] };

      const stay = parseStay(req.checkIn, req.checkOut, localDate(now, property.timeZone));
      const rows = await d.search.stayInventory(roomTypes.map((r) => r.id), stay.checkIn, stay.checkOut);
      const party = { adults: Math.max(1, req.adults), children: req.children, units: Math.max(1, req.rooms) };
      const offers = roomTypes.map((rt) => roomOffer(rt, stay, rows.get(rt.id) ?? [], party, property, now));
      return { property: proto, roomTypes: roomTypes.map(toProtoRoomType), offers: sortOffers(offers).map(toProtoRoomOffer) };
    },
  };
}
