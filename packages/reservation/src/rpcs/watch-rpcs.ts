import type { ServiceImpl } from "@connectrpc/connect";
import type { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import type { EventFeed } from "@triphub/platform/events";
import { IN_SAGA } from "../domain/reservation.js";
import { reservationStatus } from "../proto-mapping/enums.js";
import type { ReservationStore } from "../store/reservation-store.js";
import { visible } from "./access.js";

type WatchRpcs = Pick<ServiceImpl<typeof ReservationService>, "watchReservation">;

/**
 * WatchReservation: the reservation now, then on every change, until it leaves the saga. New
 * events wake it (the log's NOTIFY); it also looks every `pollMs`, since a notification is
 * only a hint.
 */
export function watchRpcs(d: { store: ReservationStore; feed: EventFeed; pollMs?: number }): WatchRpcs {
  const pollMs = d.pollMs ?? 1_000;
  return {
    async *watchReservation(req, ctx) {
      const id = req.reservationId;
      const stop = AbortSignal.any([ctx.signal, d.feed.closed]);
      let sent = -1n;
      while (!stop.aborted) {
        const reservation = visible(ctx, id, await d.store.get(id));
        if (reservation.version !== sent) {
          sent = reservation.version;
          yield { reservation };
        }
        if (!IN_SAGA.has(reservationStatus.fromProto(reservation.status))) return;
        await d.feed.wait(pollMs, stop);
      }
    },
  };
}
