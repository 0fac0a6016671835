import { AsyncLocalStorage } from "node:async_hooks";
import type { Interceptor } from "@connectrpc/connect";
import { identityKey, requestInfoKey } from "@triphub/platform";

const current = new AsyncLocalStorage<Record<string, string>>();

// W3C trace context; anything else is dropped rather than copied into every consumer's logs.
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The propagation data (triphub.common.v1.Event metadata) of the RPC in progress: who acted
 * and which request it was. Empty outside an RPC (the hold sweeper acts for nobody).
 */
export function eventMetadata(): Record<string, string> {
  return current.getStore() ?? {};
}

/**
 * Makes `eventMetadata()` answer for the RPC it wraps: "actor_id" (the caller, when signed in),
 * "correlation_id" (the request id the gateway propagates as x-request-id, so one user action
 * can be followed across services) and "traceparent". Carried implicitly because it is
 * observability data the outbox records beside every event, not an input of any decision:
 * threading it through every store method would widen each signature for no rule.
 * Registered after authentication, so the identity is known.
 */
export function eventMetadataInterceptor(): Interceptor {
  return (next) => (req) => {
    const meta: Record<string, string> = {};
    const identity = req.contextValues.get(identityKey);
    if (identity) meta.actor_id = identity.userId;
    const info = req.contextValues.get(requestInfoKey);
    if (info) meta.correlation_id = info.requestId;
    const traceparent = req.header.get("traceparent");
    if (traceparent && TRACEPARENT.test(traceparent)) meta.traceparent = traceparent;
    return current.run(meta, () => next(req));
  };
}
