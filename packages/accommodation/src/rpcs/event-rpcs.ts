import { createRegistry } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { file_triphub_accommodation_v1_events } from "@triphub/contracts/triphub/accommodation/v1/events_pb";
import { type EventFollowDeps, followEvents } from "@triphub/platform/events";

type EventRpcs = Pick<ServiceImpl<typeof AccommodationService>, "streamEvents">;

/**
 * Every payload type the feed carries (all declared in events.proto). Events hold their
 * payload as google.protobuf.Any, and the JSON form of an Any is its message's fields plus
 * "@type": Connect JSON callers of StreamEvents need the service to know each type.
 */
export const eventTypes = createRegistry(file_triphub_accommodation_v1_events);

/** What StreamEvents needs: see the platform's followEvents. */
export type EventRpcDeps = EventFollowDeps;

/**
 * StreamEvents: the outbox, in position order, to the services that react to accommodation
 * changes (reservation, review, search indexers).
 *
 * Who may call it: the services its proto `callers` option names, checked by the chassis as
 * for the hold RPCs. No user role would fit: the stream carries every host's drafts and every
 * guest's holds, so even ADMIN would be the wrong test.
 */
export function eventRpcs(d: EventRpcDeps): EventRpcs {
  return {
    // Ends on the client's cancel (or deadline) and on server shutdown, between two reads.
    streamEvents: (req, ctx) => followEvents(d, req, ctx.signal),
  };
}
