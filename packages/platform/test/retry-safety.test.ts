// Which calls the balancer may send again to another instance, read from the contracts: every
// read of the platform (a GET route or an idempotency level) is; a write only with its key.
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { RegistryService } from "@triphub/contracts/triphub/registry/v1/registry_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { describe, expect, it } from "vitest";
import { mayRepeat, retryClassOf } from "../src/index.js";

const SERVICES = [AuthService, AccommodationService, PaymentService, ReservationService, ReviewService, RegistryService, ConfigService];

describe("retryClassOf", () => {
  it("takes every unary read of the platform, internal ones included, for safe to repeat", () => {
    const reads = SERVICES.flatMap((s) => s.methods).filter((m) => m.methodKind === "unary" && /^(Get|List|Resolve|Check|Verify)/.test(m.name));
    expect(reads.length).toBeGreaterThan(20);
    expect(reads.filter((m) => !retryClassOf(m).safe).map((m) => `${m.parent.name}.${m.name}`)).toEqual([]);
  });

  it("repeats a write only when it carries its idempotency key", () => {
    const create = ReservationService.method.createReservation;
    expect(retryClassOf(create).safe).toBe(false);
    expect(mayRepeat(create, { requestId: "6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5" })).toBe(true);
    expect(mayRepeat(create, { requestId: "" })).toBe(false);
    expect(mayRepeat(AuthService.method.setUserRoles, { userId: "u" })).toBe(false);
  });
});
