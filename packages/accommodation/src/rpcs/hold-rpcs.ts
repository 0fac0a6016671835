import type { ServiceImpl } from "@connectrpc/connect";
import type { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { notFound } from "@triphub/platform";
import { releaseReasonFromProto } from "../proto-mapping/enums.js";
import { holdInputFromProto, toProtoHold } from "../proto-mapping/hold.js";
import type { HoldStore } from "../store/hold-store.js";

type HoldRpcs = Pick<ServiceImpl<typeof AccommodationService>, "holdInventory" | "confirmHold" | "releaseHold" | "getHold">;

/**
 * The inventory holds of the booking saga, called by the reservation service. They are
 * internal: the proto's `callers` option names reservation, and the chassis refuses every other
 * caller (a user's token included) before a handler runs, so the handlers ask for no identity.
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
