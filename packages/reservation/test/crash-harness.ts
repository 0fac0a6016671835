
import { setTimeout as sleep } from "node:timers/promises";
import { HoldStatus } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { PaymentStatus } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { expect } from "vitest";
import { bookingRequest, type BookingPlatform, eventually, listedRoomType, type ProviderCalls, startBookingPlatform, type User } from "./booking-platform.js";
import { type ServiceChild, startServiceChild } from "./service-child.js";

export const RESERVATION_MAIN = "packages/reservation/src/main.ts";
export const PAYMENT_MAIN = "packages/payment/src/main.ts";
// Generous: two cores shared with other test runs; nothing here asserts how long anything took.
const SETTLE_MS = 45_000;

/** A stay a month from now (the child processes run on the system clock). */
export function stay(roomType: { propertyId: string; roomTypeId: string }, token: string) {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return bookingRequest(roomType, { checkIn: day(30), checkOut: day(32), guests: { adults: 2, children: 0 }, paymentMethodToken: token });
}

/** The hold and payments a reservation left behind, seen as the reservation service sees them. */
async function traces(p: BookingPlatform, reservationId: string) {
  const hold = await p.asReservation.accommodation.getHold({ reservationId }).then(
    (r) => r.hold?.status,
    () => undefined,
  );
  const { payments } = await p.asReservation.payment.listPayments({ reservationId });
  return { hold, payments: payments.map((x) => x.status) };
}

/** Short names of a reservation's events, in order. */
export async function history(guest: User, reservationId: string): Promise<string[]> {
  const { events } = await guest.reservations.getReservationHistory({ reservationId });
  return events.map((e) => e.type.replace("triphub.reservation.v1.", ""));
}

/** What a finished saga must have left: its status, each event once, the hold and the payments. */
export const ENDS = {
  confirmed: {
    status: ReservationStatus.CONFIRMED,
    events: ["ReservationRequested", "RoomsHeld", "PaymentAuthorized", "ReservationConfirmed"],
    hold: HoldStatus.CONFIRMED,
    payments: [PaymentStatus.CAPTURED],
  },
  // tok_captureFails: the provider refuses the capture after the hold was confirmed; the
  // authorization is voided and the rooms released.
  undone: {
    status: ReservationStatus.FAILED,
    events: ["ReservationRequested", "RoomsHeld", "PaymentAuthorized", "ReservationFailed", "PaymentVoided", "RoomsReleased"],
    hold: HoldStatus.RELEASED,
    payments: [PaymentStatus.VOIDED],
  },
  // The capture's answer was lost (payment killed after the provider took the money) and payment
  // stayed down past the deadline: the booking fails, and the money the provider holds is
  // returned (the void finds the capture and is refused; the unwind refunds instead).
  refunded: {
    status: ReservationStatus.FAILED,
    events: ["ReservationRequested", "RoomsHeld", "PaymentAuthorized", "ReservationFailed", "RefundIssued", "RoomsReleased"],
    hold: HoldStatus.RELEASED,
    payments: [PaymentStatus.REFUNDED],
  },
};
export type End = keyof typeof ENDS;

/** Waits until the reservation's saga has nothing left to do and returns the reservation. */
export async function settledEnd(p: BookingPlatform, guest: User, reservationId: string, end: End): Promise<Reservation> {
  return eventually(async () => {
    const { reservation } = await guest.reservations.getReservation({ reservationId });
    expect({ status: reservation?.status, events: await history(guest, reservationId), ...(await traces(p, reservationId)) }).toEqual(ENDS[end]);
    return reservation!;
  }, SETTLE_MS);
}

/** How the process ended; "still running" when it never reached its failpoint. */
export const diedAtFailpoint = (child: ServiceChild) => Promise.race([child.exited, sleep(30_000, "still running", { ref: false })]);

/** The reservation service as a process of its own, killed at failpoints and restarted. */
export interface CrashHarness {
  p: BookingPlatform;
  /**
   * Books `token` with the process set to die at `failpoint` (RESERVATION_CRASH_AFTER or
   * RESERVATION_CRASH_BEFORE), checks it died by SIGKILL, starts it again without the failpoint
   * and waits for the saga to end as `end` says. Returns what the provider was asked meanwhile.
   */
  crashAndResume(failpoint: Record<string, string>, token: string, end: End): Promise<Omit<ProviderCalls, "refund">>;
  close(): Promise<void>;
}

export async function startCrashHarness(name: string): Promise<CrashHarness> {
  const p = await startBookingPlatform(name, {
    external: { reservation: true },
    deadlineSeconds: 60,
    // A killed process's lease lapses by the time the next one is up.
    sagaTimings: { leaseMs: 1_500, resumeEveryMs: 100 },
  });
  const service = p.external.reservation!;
  const host = await p.host();
  let child: ServiceChild | undefined;
  const start = async (env: Record<string, string> = {}) => {
    child = await startServiceChild(RESERVATION_MAIN, service.url, { ...service.env, ...env });
    return child;
  };

  /** The guest's only reservation at the property (the Create call that made it may have died with the process). */
  const onlyReservation = async (guest: User, propertyId: string) => {
    const { reservations } = await guest.reservations.listReservations({});
    const here = reservations.filter((r) => r.propertyId === propertyId);
    expect(here).toHaveLength(1);
    return here[0];
  };

  return {
    p,
    async crashAndResume(failpoint, token, end) {
      const rt = await listedRoomType(host, { units: 1 });
      const guest = await p.guest();
      const before = { ...p.calls };

      const doomed = await start(failpoint);
      const req = stay(rt, token);
      const answer = guest.reservations.createReservation(req).catch((e: unknown) => e);
      expect(await diedAtFailpoint(doomed)).toBe("SIGKILL");
      await answer;

      await start();
      const { reservationId } = await onlyReservation(guest, rt.propertyId);
      await settledEnd(p, guest, reservationId, end);
      // The guest's retry of the request that died with the process names the same reservation.
      const { reservation: again } = await guest.reservations.createReservation(req);
      expect(again).toMatchObject({ reservationId, status: ENDS[end].status });
      expect(await history(guest, reservationId)).toEqual(ENDS[end].events);
      await child?.stop();
      return {
        authorize: p.calls.authorize - before.authorize,
        capture: p.calls.capture - before.capture,
        void: p.calls.void - before.void,
      };
    },
    async close() {
      await child?.stop();
      await p.close();
    },
  };
}
