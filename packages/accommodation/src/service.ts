import type { ServiceImpl } from "@connectrpc/connect";
import type { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { createAccess } from "./rpcs/access.js";
import type { EventFeed } from "./store/event-feed.js";
import { eventRpcs } from "./rpcs/event-rpcs.js";
import { holdRpcs } from "./rpcs/hold-rpcs.js";
import { propertyRpcs } from "./rpcs/property-rpcs.js";
import { roomTypeRpcs } from "./rpcs/room-type-rpcs.js";
import { searchRpcs } from "./rpcs/search-rpcs.js";
import type { CalendarStore } from "./store/calendar-store.js";
import type { EventStore } from "./store/event-store.js";
import type { HoldStore } from "./store/hold-store.js";
import type { PropertyStore } from "./store/property-store.js";
import type { RoomTypeStore } from "./store/room-type-store.js";
import type { SearchStore } from "./store/search/index.js";

/** What the accommodation RPCs need. */
export interface AccommodationServiceDeps {
  properties: PropertyStore;
  roomTypes: RoomTypeStore;
  calendars: CalendarStore;
  holds: HoldStore;
  search: SearchStore;
  /** The outbox StreamEvents reads, and what wakes its followers. */
  events: EventStore;
  feed: EventFeed;
  /** The clock: "today" at a property (past nights) and hold expiry come from it. */
  now: () => Date;
}

/**
 * The AccommodationService RPCs: protos in, domain and stores, protos out. Host RPCs
 * (properties, room types, calendars), the public guest reads (SearchAccommodations,
 * GetAccommodation), the internal hold RPCs and the internal StreamEvents are here.
 */
export function createAccommodationService(d: AccommodationServiceDeps): Partial<ServiceImpl<typeof AccommodationService>> {
  const access = createAccess(d);
  return {
    ...propertyRpcs(d, access),
    ...roomTypeRpcs(d, access),
    ...holdRpcs(d),
    ...searchRpcs(d),
    ...eventRpcs(d),
  };
}
