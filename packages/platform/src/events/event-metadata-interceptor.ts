import type { Interceptor } from "@connectrpc/connect";
import { identityKey } from "../auth.js";
import { requestInfoKey } from "../request-context.js";
import { withEventMetadata } from "./event-metadata.js";

// W3C trace context; anything else is dropped rather than copied into every consumer's logs.
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Makes `eventMetadata()` (@triphub/platform/events) answer for the RPC it wraps: "actor_id" (the
 * caller, when signed in), "correlation_id" (the request id the gateway propagates as
 * x-request-id, so one user action can be followed across services) and "traceparent".
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
    return withEventMetadata(meta, () => next(req));
  };
}
