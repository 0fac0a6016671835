// The services review asks, as the review service (its service identity, tokens from auth):
// reservation, whether a stay happened and whose it was, and auth, the author's public profile.
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { type Clock, createServiceClient, createServiceTokenSource, DomainError } from "@triphub/platform";
import type { ReviewConfig } from "./config.js";
import type { Stay } from "./domain/review-rules.js";
import { stayOf } from "./proto-mapping/stay.js";

/** A user's public face: what a review shows of its author. */
export interface Profile {
  displayName: string;
  country: string;
}

/** What review asks other services. */
export interface Directory {
  /** The stay behind a reservation; undefined when there is none. */
  stay(reservationId: string): Promise<Stay | undefined>;
  profile(userId: string): Promise<Profile>;
}

/** A dependency's failure as review's caller should see it: never its internal codes. */
function dependencyError(service: string, e: unknown): DomainError {
  return new DomainError("unavailable", `the ${service} service is unavailable; retry shortly`, { cause: e });
}

/** The directory over gRPC; throws without a client secret (no review could be written). */
export function createDirectory(
  config: Pick<ReviewConfig, "AUTH_TOKEN_URL" | "SERVICE_CLIENT_SECRET" | "RESERVATION_URL" | "AUTH_URL">,
  now: Clock,
): Directory {
  if (!config.SERVICE_CLIENT_SECRET) {
    throw new Error("SERVICE_CLIENT_SECRET is required: review checks stays with the reservation service as the review service");
  }
  const tokens = createServiceTokenSource(
    { tokenUrl: config.AUTH_TOKEN_URL, clientId: "review", clientSecret: config.SERVICE_CLIENT_SECRET },
    now,
  );
  const reservations = createServiceClient(ReservationService, config.RESERVATION_URL, { identity: { tokens, audience: "reservation" } });
  const auth = createServiceClient(AuthService, config.AUTH_URL, { identity: { tokens, audience: "auth" } });
  return {
    async stay(reservationId) {
      try {
        const { reservation: r } = await reservations.getReservation({ reservationId }, { timeoutMs: 5000 });
        return r && stayOf(r);
      } catch (e) {
        if (ConnectError.from(e).code === Code.NotFound) return undefined;
        throw dependencyError("reservation", e);
      }
    },
    async profile(userId) {
      try {
        const { profile } = await auth.getPublicProfile({ userId }, { timeoutMs: 5000 });
        return { displayName: profile?.displayName ?? "", country: profile?.country ?? "" };
      } catch (e) {
        throw dependencyError("auth", e);
      }
    },
  };
}
