// The services the reservation service calls: accommodation (holds) and payment, over gRPC,
// as the reservation service (its service identity, tokens from auth).
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { type Clock, createServiceClient, createServiceTokenSource } from "@triphub/platform";
import type { ReservationConfig } from "./config.js";
import type { SagaClients } from "./saga/saga-steps.js";

/** The saga's clients, from the configuration; throws without a client secret (nothing could be booked). */
export function createSagaClients(
  config: Pick<ReservationConfig, "AUTH_TOKEN_URL" | "SERVICE_CLIENT_SECRET" | "ACCOMMODATION_URL" | "PAYMENT_URL">,
  now: Clock,
): SagaClients {
  if (!config.SERVICE_CLIENT_SECRET) {
    throw new Error("SERVICE_CLIENT_SECRET is required: the booking saga calls accommodation and payment as the reservation service");
  }
  // Tokens are renewed by the service's clock, the one the called services check them with.
  const tokens = createServiceTokenSource(
    { tokenUrl: config.AUTH_TOKEN_URL, clientId: "reservation", clientSecret: config.SERVICE_CLIENT_SECRET },
    now,
  );
  return {
    accommodation: createServiceClient(AccommodationService, config.ACCOMMODATION_URL, { identity: { tokens, audience: "accommodation" } }),
    payment: createServiceClient(PaymentService, config.PAYMENT_URL, { identity: { tokens, audience: "payment" } }),
  };
}
