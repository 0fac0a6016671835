// The ReviewService RPCs, each group in rpcs/<area>-rpcs.ts, spread together.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import type { Clock } from "@triphub/platform";
import type { EventFeed, EventStore } from "@triphub/platform/events";
import type { Directory } from "./clients.js";
import { moderationRpcs } from "./rpcs/moderation-rpcs.js";
import { responseRpcs } from "./rpcs/response-rpcs.js";
import { reviewRpcs } from "./rpcs/review-rpcs.js";
import { statisticsRpcs } from "./rpcs/statistics-rpcs.js";
import type { ReviewDb } from "./store/db.js";
import type { ReviewStore } from "./store/review-store.js";

/** What the RPCs need: the stores, the services review asks, the feed, and the clock (never `new Date()` in a handler). */
export interface ReviewServiceDeps {
  db: ReviewDb;
  reviews: ReviewStore;
  directory: Directory;
  events: EventStore;
  feed: EventFeed;
  now: Clock;
}

/** Every ReviewService RPC. */
export function createReviewService(d: ReviewServiceDeps): ServiceImpl<typeof ReviewService> {
  return {
    ...reviewRpcs(d),
    ...responseRpcs(d),
    ...moderationRpcs(d),
    ...statisticsRpcs(d),
  };
}
