// Who may see and change a reservation: its guest, the host of its property, an admin, and
// other TripHub services (with their service identity, e.g. review checking a stay). Anyone
// else is told it does not exist, so ids cannot be probed.
import type { HandlerContext } from "@connectrpc/connect";
import type { Reservation } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { callerServiceKey, GATEWAY_SERVICE, type Identity, identityKey, notFound } from "@triphub/platform";
import type { CancellationActor } from "../domain/reservation.js";

/** The caller as a party to `r`, most specific first; undefined for a stranger. */
export function partyOf(ctx: HandlerContext, r: Reservation): CancellationActor | "service" | undefined {
  const user = ctx.values.get(identityKey);
  if (user) {
    if (user.userId === r.guestId) return "guest";
    if (r.hostId !== "" && user.userId === r.hostId) return "host";
    if (isAdmin(user)) return "admin";
    return undefined;
  }
  const service = ctx.values.get(callerServiceKey);
  // The gateway only relays users; it reads nothing on its own account.
  return service && service !== GATEWAY_SERVICE ? "service" : undefined;
}

export const isAdmin = (user: Identity) => user.roles.includes("ADMIN");

/** `r` when the caller is a party to it; NOT_FOUND otherwise (and when there is none). */
export function visible(ctx: HandlerContext, id: string, r: Reservation | undefined): Reservation {
  if (!r || !partyOf(ctx, r)) throw notFound("reservation", id);
  return r;
}
