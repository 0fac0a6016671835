import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Event, EventSchema } from "@triphub/contracts/triphub/common/v1/event_pb";
import { outboxFollowerMetrics } from "../metrics/event-metrics.js";
import type { StoredEvent } from "./db.js";
import type { EventFeed } from "./event-feed.js";
import type { EventStore } from "./event-store.js";

/** Events per response when the caller asks for 0 (every events.proto says 100). */
export const DEFAULT_EVENT_BATCH = 100;
/** The largest batch; the request rules refuse more. */
export const MAX_EVENT_BATCH = 1000;

/** Where StreamEvents reads; the timings are options so tests need not wait for production's. */
export interface EventFollowDeps {
  events: EventStore;
  feed: EventFeed;
  /** Longest silence while idle before an empty heartbeat; the contracts ask for <= 15 s. */
  heartbeatMs?: number;
  /** How often an idle follower looks again without a notification. */
  pollMs?: number;
}

/** The fields every service's StreamEventsRequest has. */
export interface StreamEventsQuery {
  afterPosition: bigint;
  types: readonly string[];
  batchSize: number;
  stopAtHead: boolean;
}

// Committed events behind a still-running older transaction: look again soon.
const PENDING_RETRY_MS = 25;

/**
 * A service's StreamEvents: its outbox in position order from `afterPosition` on, then new
 * events as they commit (woken by the feed, polling as a fallback), with empty heartbeats while
 * idle. Ends on `signal` (the caller's cancel or deadline), on the feed closing (shutdown), or
 * at the head with `stopAtHead`.
 */
export async function* followEvents(
  d: EventFollowDeps,
  req: StreamEventsQuery,
  signal: AbortSignal,
): AsyncGenerator<{ events: Event[]; headPosition: bigint }> {
  const heartbeatMs = d.heartbeatMs ?? 10_000;
  const pollMs = d.pollMs ?? 1_000;
  const limit = req.batchSize === 0 ? DEFAULT_EVENT_BATCH : Math.min(req.batchSize, MAX_EVENT_BATCH);
  const types = [...req.types];
  const stop = AbortSignal.any([signal, d.feed.closed]);
  let after = req.afterPosition;
  let lastSent = Date.now();
  const metrics = outboxFollowerMetrics(d.feed.channel ?? "events");
  // Whether this follower has reached the head once: from then on, an event's delay is the
  // outbox's own (commit to send), not a replay of old events.
  let live = false;
  try {
    while (!stop.aborted) {
      const page = await d.events.read(after, types, limit);
      metrics.heldBack(page.pending);
      if (page.events.length > 0) {
        after = page.events[page.events.length - 1].position;
        metrics.sent(
          page.events.map((e) => e.occurTime),
          live,
        );
        yield { events: page.events.map(toProtoEvent), headPosition: page.head };
        lastSent = Date.now();
        if (page.events.length === limit) continue;
      }
      live = true;
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
  } finally {
    metrics.stop();
  }
}

/** A recorded event as the triphub.common.v1.Event envelope StreamEvents delivers. */
export function toProtoEvent(r: StoredEvent): Event {
  return create(EventSchema, {
    position: r.position,
    eventId: r.eventId,
    streamId: r.streamId,
    streamType: r.streamType,
    streamVersion: BigInt(r.streamVersion),
    type: r.type,
    payload: { typeUrl: `type.googleapis.com/${r.type}`, value: r.payload },
    occurTime: timestampFromDate(r.occurTime),
    metadata: r.metadata,
  });
}
