import type { ServiceImpl } from "@connectrpc/connect";
import type { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { type EventFollowDeps, followEvents } from "@triphub/platform/events";
import { forOtherServices } from "./redaction.js";

type EventRpcs = Pick<ServiceImpl<typeof ReservationService>, "streamEvents">;

/**
 * StreamEvents: every reservation event in position order, to the services its proto `callers`
 * names (review), without the card token, the guest's contact and special requests.
 */
export function eventRpcs(d: EventFollowDeps): EventRpcs {
  return {
    async *streamEvents(req, ctx) {
      for await (const batch of followEvents(d, req, ctx.signal)) {
        yield { ...batch, events: batch.events.map(forOtherServices) };
      }
    },
  };
}
