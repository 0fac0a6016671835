// The services the accommodation service calls: review's event feed, over gRPC, as the
// accommodation service (its service identity, tokens from auth).
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { type Clock, createServiceClient, createServiceTokenSource } from "@triphub/platform";
import type { ConsumeEventsOptions } from "@triphub/platform/events";
import type { AccommodationConfig } from "./config.js";

/**
 * Opens review's StreamEvents after a position, for the rating consumer; throws without a
 * client secret (review answers StreamEvents to the accommodation service only).
 */
export function reviewEventStream(
  config: Partial<Pick<AccommodationConfig, "AUTH_TOKEN_URL" | "SERVICE_CLIENT_SECRET">> & { REVIEW_URL: string },
  now: Clock,
): ConsumeEventsOptions["open"] {
  if (!config.SERVICE_CLIENT_SECRET || !config.AUTH_TOKEN_URL) {
    throw new Error("SERVICE_CLIENT_SECRET is required with REVIEW_URL: accommodation reads review's events as the accommodation service");
  }
  const tokens = createServiceTokenSource(
    { tokenUrl: config.AUTH_TOKEN_URL, clientId: "accommodation", clientSecret: config.SERVICE_CLIENT_SECRET },
    now,
  );
  const review = createServiceClient(ReviewService, config.REVIEW_URL, { identity: { tokens, audience: "review" } });
  // timeoutMs 0: no deadline. The stream is meant to stay open; the client's default deadline
  // would cut it every few seconds.
  return (req, signal) => review.streamEvents(req, { signal, timeoutMs: 0 });
}
