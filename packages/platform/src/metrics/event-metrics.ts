import { metricCounter, metricHistogram, observeGauge } from "./registry.js";

// Delays of an asynchronous hop: from milliseconds up to an hour behind.
const DELAY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

const published = metricCounter({
  name: "triphub_outbox_events_published_total",
  help: "Events sent on StreamEvents (to every follower, catch-up reads included), by feed.",
  labelNames: ["feed"],
});
const publishDelay = metricHistogram({
  name: "triphub_outbox_publish_delay_seconds",
  help: "From an event's commit to its sending on StreamEvents to a follower that had caught up (replays of old events are left out), by feed.",
  labelNames: ["feed"],
  buckets: DELAY_BUCKETS,
});
const processed = metricCounter({
  name: "triphub_event_consumer_events_total",
  help: "Events of another service's feed a consumer processed (applied, or skipped as already applied or of no interest), by feed (the consumer's name).",
  labelNames: ["feed"],
});

/** What a StreamEvents follower reports; see {@link outboxFollowerMetrics}. */
export interface OutboxFollowerMetrics {
  /** Events sent; `live` when the follower had already reached the head once (so the delay is the outbox's, not a replay's). */
  sent(occurTimes: readonly Date[], live: boolean): void;
  /** Whether the last read found committed events held back by an older transaction still running. */
  heldBack(pending: boolean): void;
  stop(): void;
}

/**
 * The outbox side of a feed, per follower: what is published and how late, and how long
 * committed events have been held back (a long transaction keeps everything after it from
 * being delivered, which no consumer can see: it keeps getting heartbeats).
 */
export function outboxFollowerMetrics(feed: string): OutboxFollowerMetrics {
  let heldSince: number | undefined;
  const stop = observeGauge(
    {
      name: "triphub_outbox_held_back_seconds",
      help: "How long committed events of the feed have been waiting behind a transaction still running (0: none), the longest over followers.",
      labelNames: ["feed"],
      aggregate: "max",
    },
    () => [{ labels: { feed }, value: heldSince === undefined ? 0 : (Date.now() - heldSince) / 1000 }],
  );
  return {
    sent(occurTimes, live) {
      published.inc({ feed }, occurTimes.length);
      if (!live) return;
      const now = Date.now();
      for (const t of occurTimes) publishDelay.observe({ feed }, Math.max(0, (now - t.getTime()) / 1000));
    },
    heldBack(pending) {
      if (!pending) heldSince = undefined;
      else heldSince ??= Date.now();
    },
    stop,
  };
}

/** What a consumer reports; see {@link consumerMetrics}. */
export interface ConsumerMetrics {
  /** A message from the producer was processed: a batch committed (its events' commit times) or a heartbeat (none). */
  received(occurTimes: readonly Date[]): void;
  stop(): void;
}

/**
 * The consuming side of a feed: how far behind the events it applies are (0 after a
 * heartbeat: the producer had nothing more), how long since the producer last said anything
 * (heartbeats come at least every 15 s, so a large value is a broken or stalled stream), and
 * whether a stream is open.
 */
export function consumerMetrics(feed: string, connected: () => boolean): ConsumerMetrics {
  const labels = { feed };
  let lag = 0;
  let lastMessage = Date.now();
  const stops = [
    observeGauge(
      {
        name: "triphub_event_consumer_lag_seconds",
        help: "How old the newest event of the last batch a consumer applied was when applied (0 once caught up), by feed.",
        labelNames: ["feed"],
        aggregate: "max",
      },
      () => [{ labels, value: lag }],
    ),
    observeGauge(
      {
        name: "triphub_event_consumer_silence_seconds",
        help: "Seconds since the producer's stream last sent a consumer anything (events or a heartbeat), by feed.",
        labelNames: ["feed"],
        aggregate: "max",
      },
      () => [{ labels, value: (Date.now() - lastMessage) / 1000 }],
    ),
    observeGauge(
      { name: "triphub_event_consumer_connected", help: "Consumers with a stream open to their producer now, by feed.", labelNames: ["feed"] },
      () => [{ labels, value: connected() ? 1 : 0 }],
    ),
  ];
  return {
    received(occurTimes) {
      lastMessage = Date.now();
      if (occurTimes.length === 0) {
        lag = 0;
        return;
      }
      processed.inc(labels, occurTimes.length);
      const newest = Math.max(...occurTimes.map((t) => t.getTime()));
      lag = Math.max(0, (lastMessage - newest) / 1000);
    },
    stop() {
      for (const s of stops) s();
    },
  };
}
