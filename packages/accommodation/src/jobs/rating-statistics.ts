import type { Logger } from "@triphub/platform";
import { type ConsumeEventsOptions, consumeEvents, type EventConsumer } from "@triphub/platform/events";
import { RATING_STATISTICS_CHANGED, ratingUpdateFromEvent } from "../proto-mapping/rating-statistics.js";
import type { AccommodationDb } from "../store/db.js";
import { applyRatingUpdate } from "../store/rating-store.js";

/** The cursor row of review's feed in accommodation's event_cursors. */
export const REVIEW_FEED = "review";

/** Options for {@link consumeRatingStatistics}. */
export interface RatingStatisticsOptions {
  db: AccommodationDb;
  /** Review's StreamEvents (clients.ts), or any stream of the same shape. */
  open: ConsumeEventsOptions["open"];
  log: Logger;
  /** After a batch committed, with the properties it was about (e.g. to drop cached details and search pages). */
  onApplied?: (propertyIds: readonly string[]) => Promise<void>;
  retry?: ConsumeEventsOptions["retry"];
}

/**
 * Mirrors review's RatingStatisticsChanged events into each property's rating summary (and so
 * into the rating sort), durably: see the platform's consumeEvents. Starts at once; stop it
 * before the database closes.
 */
export function consumeRatingStatistics(o: RatingStatisticsOptions): EventConsumer {
  const log = o.log.child({ feed: REVIEW_FEED });
  return consumeEvents({
    name: REVIEW_FEED,
    db: o.db,
    open: o.open,
    types: [RATING_STATISTICS_CHANGED],
    log,
    retry: o.retry,
    async handle(tx, event) {
      let update: ReturnType<typeof ratingUpdateFromEvent>;
      try {
        update = ratingUpdateFromEvent(event);
      } catch (err) {
        // A payload that does not decode never will: retrying it would stall every later
        // rating behind it. A newer version of the statistics repairs the property.
        log.error({ err, position: event.position.toString(), streamId: event.streamId }, "undecodable rating statistics skipped");
        return;
      }
      if (update !== undefined) await applyRatingUpdate(tx, update);
    },
    afterCommit: async (applied) => {
      // stream_id of a RatingStatisticsChanged is its property's id (review's events.proto).
      await o.onApplied?.(applied.map((e) => e.streamId));
    },
  });
}
