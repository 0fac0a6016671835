import type { ServiceImpl } from "@connectrpc/connect";
import type { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { notFound } from "@triphub/platform";
import { releaseReasonFromProto } from "../proto-mapping/enums.js";
import { holdInputFromProto, toProtoHold } from "../proto-mapping/hold.js";
import type { HoldStore } from "../store/hold-store.js";

type HoldRpcs = Pick<ServiceImpl<typeof AccommodationService>, "holdInventory" | "confirmHold" | "releaseHold" | "getHold">;

/**
 * The inventory holds of the booking saga, called by the reservation service.
 *
 * Who may call them: these RPCs carry no google.api.http rule, so the gateway, which builds its
 * routes from those rules only, never exposes them; they are reachable only on this service's
 * own port, which in every deployment is inside the cluster (the devstack binds 127.0.0.1; in
 * Kubernetes the mesh's mTLS, or TLS_CA_FILE, admits only workloads holding a certificate). The
 * caller is a service acting for a saga, not a user, and users' tokens cannot express that: no
 * user role fits (a guest must not hold rooms for others, and requiring ADMIN would make the saga
 * need an admin's credentials). So the network boundary is the check and the handlers do not
 * ask for an identity. When services get identities of their own (mTLS peer names or
 * client-credential tokens), this is the one place to require them.
 */
export function holdRpcs(d: { holds: HoldStore; now: () => Date }): HoldRpcs {
  return {
    async holdInventory(req) {
      return { hold: toProtoHold(await d.holds.hold(holdInputFromProto(req), d.now())) };
    },
    async confirmHold(req) {
      return { hold: toProtoHold(await d.holds.confirm(req.reservationId, d.now())) };
    },
    async releaseHold(req) {
      const released = await d.holds.release(req.reservationId, releaseReasonFromProto(req.reason), d.now());
      return { hold: released && toProtoHold(released) };
    },
    async getHold(req) {
      const hold = await d.holds.get(req.reservationId);
      if (!hold) throw notFound("hold of reservation", req.reservationId);
      return { hold: toProtoHold(hold) };
    },
  };
}
