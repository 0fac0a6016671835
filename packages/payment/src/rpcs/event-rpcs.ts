import { createRegistry } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { file_triphub_payment_v1_events } from "@triphub/contracts/triphub/payment/v1/events_pb";
import type { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { type EventFollowDeps, followEvents } from "@triphub/platform/events";

type EventRpcs = Pick<ServiceImpl<typeof PaymentService>, "streamEvents">;

/**
 * Every payload type the feed carries (events.proto). Events hold their payload as
 * google.protobuf.Any, whose JSON form needs its type known: Connect JSON callers of
 * StreamEvents need the service to know each one.
 */
export const eventTypes = createRegistry(file_triphub_payment_v1_events);

/** What StreamEvents needs: see the platform's followEvents. */
export type EventRpcDeps = EventFollowDeps;

/**
 * StreamEvents: every payment's events in position order, for the reservation service (the
 * proto's `callers`; the chassis refuses anyone else).
 */
export function eventRpcs(d: EventRpcDeps): EventRpcs {
  return {
    // Ends on the client's cancel (or deadline) and on server shutdown, between two reads.
    streamEvents: (req, ctx) => followEvents(d, req, ctx.signal),
  };
}
