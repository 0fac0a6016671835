import { AsyncLocalStorage } from "node:async_hooks";
import { activeTraceparent } from "../tracing/spans.js";

const current = new AsyncLocalStorage<Record<string, string>>();

/**
 * The propagation data (triphub.common.v1.Event metadata) the outbox records beside every event
 * written while it is in effect: who acted and which request it was. Empty outside an RPC (the
 * hold sweeper acts for nobody). Set per call by the service (accommodation: its rpcs/event-metadata.ts interceptor).
 * With tracing on, "traceparent" is the span active where the event is written (the outbox's
 * publish span), so a consumer's span links to the very step that produced the event.
 */
export function eventMetadata(): Record<string, string> {
  const meta = current.getStore() ?? {};
  const traceparent = activeTraceparent();
  return traceparent ? { ...meta, traceparent } : meta;
}

/**
 * Runs `fn` with `meta` as the {@link eventMetadata} of every event it writes. Carried
 * implicitly because it is observability data, not an input of any decision: threading it
 * through every store method would widen each signature for no rule.
 */
export function withEventMetadata<T>(meta: Record<string, string>, fn: () => T): T {
  return current.run(meta, fn);
}
