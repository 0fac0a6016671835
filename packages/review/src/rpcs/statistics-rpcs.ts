import type { ServiceImpl } from "@connectrpc/connect";
import type { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { type EventFollowDeps, followEvents } from "@triphub/platform/events";
import { toProtoStatistics } from "../proto-mapping/statistics.js";
import type { ReviewDb } from "../store/db.js";
import { readStatistics } from "../store/statistics-store.js";

type StatisticsRpcs = Pick<ServiceImpl<typeof ReviewService>, "getRatingStatistics" | "streamEvents">;

/** A property's statistics, and the event feed accommodation mirrors them from. */
export function statisticsRpcs(d: { db: ReviewDb } & EventFollowDeps): StatisticsRpcs {
  return {
    async getRatingStatistics(req) {
      return { statistics: toProtoStatistics(await readStatistics(d.db, req.propertyId)) };
    },
    // Ends on the client's cancel (or deadline) and on server shutdown, between two reads.
    streamEvents: (req, ctx) => followEvents(d, req, ctx.signal),
  };
}
