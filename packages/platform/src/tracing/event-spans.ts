import type { Link } from "@opentelemetry/api";
import { inSpan, linkTo, SpanKind } from "./spans.js";

/**
 * Runs `work` (recording `events` in the outbox `table`) in a PRODUCER span, whose trace
 * context the events store (see `eventMetadata`): the hop to their consumers is asynchronous,
 * so a consumer's span links to this one rather than being its child.
 */
export function publishSpan<T>(table: string, events: readonly { type: string }[], work: () => Promise<T>): Promise<T> {
  return inSpan(
    `publish ${table}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        "messaging.system": "triphub_outbox",
        "messaging.operation.type": "send",
        "messaging.destination.name": table,
        "messaging.batch.message_count": events.length,
        "triphub.event.types": [...new Set(events.map((e) => e.type))],
      },
    },
    work,
  );
}

/** What a consumer knows of the event it applies. */
export interface ConsumedEvent {
  type: string;
  eventId: string;
  position: bigint;
  metadata: Record<string, string>;
}

/**
 * Runs `work` (applying `event` from feed `feed`) in a CONSUMER span of a trace of its own,
 * linked to the span that recorded the event when it carries a W3C `traceparent`.
 */
export function consumeSpan<T>(feed: string, event: ConsumedEvent, work: () => Promise<T>): Promise<T> {
  const producer = linkTo(event.metadata.traceparent);
  const links: Link[] = producer ? [producer] : [];
  return inSpan(
    `process ${event.type}`,
    {
      kind: SpanKind.CONSUMER,
      root: true,
      links,
      attributes: {
        "messaging.system": "triphub_outbox",
        "messaging.operation.type": "process",
        "messaging.consumer.group.name": feed,
        "messaging.message.id": event.eventId,
        "triphub.event.type": event.type,
        "triphub.event.position": event.position.toString(),
      },
    },
    work,
  );
}
