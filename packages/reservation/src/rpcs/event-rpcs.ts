import type { ServiceImpl } from "@connectrpc/connect";
import type { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { type EventFollowDeps, followEvents } from "@triphub/platform/events";

type EventRpcs = Pick<ServiceImpl<typeof ReservationService>, "streamEvents">;

/** StreamEvents: every reservation event in position order, to the services its proto `callers` names (review). */
export function eventRpcs(d: EventFollowDeps): EventRpcs {
  return {
    streamEvents: (req, ctx) => followEvents(d, req, ctx.signal),
  };
}
