// The catalog API key scopes are checked against, read from the contracts: a key may name any
// RPC that has a REST route (the gateway is the only way in with a key), so a new RPC becomes
// grantable by being routed, with nothing to list by hand.
import { type DescService, hasOption } from "@bufbuild/protobuf";
import { http } from "@triphub/contracts";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import type { ScopeCatalog } from "./domain/api-key.js";

/** The client-facing services (those the gateway routes). */
const ROUTED_SERVICES: readonly DescService[] = [AuthService, AccommodationService, ReservationService, PaymentService, ReviewService];

/**
 * RPCs that manage credentials: a leaked key must not mint more keys, outlive its revocation by
 * rotating itself, or change its owner's password.
 */
const CREDENTIAL_METHODS: readonly string[] = [
  AuthService.method.createApiKey,
  AuthService.method.listApiKeys,
  AuthService.method.revokeApiKey,
  AuthService.method.rotateApiKey,
  AuthService.method.changePassword,
  AuthService.method.rotateSigningKey,
].map((m) => `${m.parent.typeName}.${m.name}`);

/** What API key scopes may name, from the routed services' contracts. */
export function apiKeyScopeCatalog(services: readonly DescService[] = ROUTED_SERVICES): ScopeCatalog {
  const forbidden = new Set(CREDENTIAL_METHODS);
  const methods = new Set<string>();
  const routed = new Set<string>();
  for (const service of services) {
    for (const m of service.methods) {
      if (!hasOption(m, http)) continue;
      const name = `${service.typeName}.${m.name}`;
      methods.add(name);
      routed.add(service.typeName);
      if (forbidden.has(name)) forbidden.add(`${service.typeName}.*`);
    }
  }
  return { methods, services: routed, forbidden };
}
