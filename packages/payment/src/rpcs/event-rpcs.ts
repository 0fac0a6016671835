import { createRegistry } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { file_triphub_payment_v1_events } from "@triphub/contracts/triphub/payment/v1/events_pb";
import type { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import type { EventFeed, EventStore } from "@triphub/platform/events";
import { toProtoEvent } from "../proto-mapping/events.js";

type EventRpcs = Pick<ServiceImpl<typeof PaymentService>, "streamEvents">;

/**
 * Every payload type the feed carries (events.proto). Events hold their payload as
 * google.protobuf.Any, whose JSON form needs its type known: Connect JSON callers of
 * StreamEvents need the service to know each one.
 */
export const eventTypes = createRegistry(file_triphub_payment_v1_events);

/** Events per response when the caller asks for 0 (events.proto). */
export const DEFAULT_EVENT_BATCH = 100;
/** The largest batch; the request rules refuse more. */
export const MAX_EVENT_BATCH = 1000;

/** What StreamEvents needs; the timings are options so tests need not wait for production's. */
export interface EventRpcDeps {
  events: EventStore;
  feed: EventFeed;
  /** Longest silence while idle before an empty heartbeat; the contract asks for <= 15 s. */
  heartbeatMs?: number;
  /** How often an idle follower looks again without a notification. */
  pollMs?: number;
}

// Committed events behind a still-running older transaction: look again soon.
const PENDING_RETRY_MS = 25;

/**
 * StreamEvents: every payment's events in position order, for the reservation service (the
 * proto's `callers`; the chassis refuses anyone else). The same follower loop as
 * accommodation's: read a page, send it, and when caught up wait for a NOTIFY or a poll.
 */
export function eventRpcs(d: EventRpcDeps): EventRpcs {
  const heartbeatMs = d.heartbeatMs ?? 10_000;
  const pollMs = d.pollMs ?? 1_000;
  return {
    async *streamEvents(req, ctx) {
      const limit = req.batchSize === 0 ? DEFAULT_EVENT_BATCH : Math.min(req.batchSize, MAX_EVENT_BATCH);
      const types = [...req.types];
      // Ends on the client's cancel (or deadline) and on server shutdown, between two reads.
      const stop = AbortSignal.any([ctx.signal, d.feed.closed]);
      let after = req.afterPosition;
      let lastSent = Date.now();
      while (!stop.aborted) {
        const page = await d.events.read(after, types, limit);
        if (page.events.length > 0) {
          after = page.events[page.events.length - 1].position;
          yield { events: page.events.map(toProtoEvent), headPosition: page.head };
          lastSent = Date.now();
          if (page.events.length === limit) continue;
        }
        // A short page saw every deliverable event up to the head: with a types filter, the
        // rest up to it were of other types and need not be scanned again.
        if (page.head > after) after = page.head;
        if (req.stopAtHead) return;
        const quiet = Date.now() - lastSent;
        if (quiet >= heartbeatMs) {
          yield { events: [], headPosition: page.head };
          lastSent = Date.now();
          continue;
        }
        await d.feed.wait(page.pending ? PENDING_RETRY_MS : Math.min(pollMs, heartbeatMs - quiet), stop);
      }
    },
  };
}
