// The booking saga survives crashes: the reservation process is SIGKILLed right after each of
// the saga's events in turn (a failpoint, RESERVATION_CRASH_AFTER), then started again on the
// same database without it; payment is SIGKILLed between the provider's capture and its record
// (PAYMENT_CRASH_AFTER_PROVIDER_CAPTURE). Every reservation must end CONFIRMED or FAILED, each
// step recorded once, with the hold and the payments agreeing and the card charged once.
import { randomUUID } from "node:crypto";
import { HoldStatus } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { PaymentStatus } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { FailureReason, type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingPlatform, eventually, type ExternalService, listedRoomType, startBookingPlatform, type User } from "./booking-platform.js";
import { type ServiceChild, startServiceChild } from "./service-child.js";

const RESERVATION_MAIN = "packages/reservation/src/main.ts";
const PAYMENT_MAIN = "packages/payment/src/main.ts";
// Generous: two cores shared with other test runs; nothing here asserts how long anything took.
const SETTLE_MS = 45_000;

/** A stay a month from now (the child processes run on the system clock). */
function stay(roomType: { propertyId: string; roomTypeId: string }, token: string) {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    requestId: randomUUID(),
    ...roomType,
    checkIn: day(30),
    checkOut: day(32),
    guests: { adults: 2, children: 0 },
    units: 1,
    contact: { fullName: "Kim Minji", email: "minji@example.com", phone: "" },
    paymentMethodToken: token,
  };
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
async function history(guest: User, reservationId: string): Promise<string[]> {
  const { events } = await guest.reservations.getReservationHistory({ reservationId });
  return events.map((e) => e.type.replace("triphub.reservation.v1.", ""));
}

const BOOKED = ["ReservationRequested", "RoomsHeld", "PaymentAuthorized", "ReservationConfirmed"];
const UNDONE = ["ReservationRequested", "RoomsHeld", "PaymentAuthorized", "ReservationFailed", "PaymentVoided", "RoomsReleased"];

/** What a finished saga must have left: its status, its events, the hold and the payments. */
const ENDS = {
  confirmed: { status: ReservationStatus.CONFIRMED, events: BOOKED, hold: HoldStatus.CONFIRMED, payments: [PaymentStatus.CAPTURED] },
  // tok_captureFails: the provider refuses the capture, after the hold was confirmed.
  undone: { status: ReservationStatus.FAILED, events: UNDONE, hold: HoldStatus.RELEASED, payments: [PaymentStatus.VOIDED] },
};

/** Waits until the reservation's saga has nothing left to do and returns what it left. */
async function settledEnd(p: BookingPlatform, guest: User, reservationId: string, expected: (typeof ENDS)[keyof typeof ENDS]) {
  return eventually(async () => {
    const { reservation } = await guest.reservations.getReservation({ reservationId });
    const end = { status: reservation?.status, events: await history(guest, reservationId), ...(await traces(p, reservationId)) };
    expect(end).toEqual(expected);
    return reservation!;
  }, SETTLE_MS);
}

/** The guest's only reservation at the property (the Create call that made it may have died with the process). */
async function onlyReservation(guest: User, propertyId: string): Promise<Reservation> {
  const { reservations } = await guest.reservations.listReservations({});
  const here = reservations.filter((r) => r.propertyId === propertyId);
  expect(here).toHaveLength(1);
  return here[0];
}

describe("the reservation process killed after each saga event", () => {
  let p: BookingPlatform;
  let host: User;
  let service: ExternalService;
  let child: ServiceChild | undefined;

  const startReservation = async (env: Record<string, string> = {}) => {
    child = await startServiceChild(RESERVATION_MAIN, service.url, { ...service.env, ...env });
    return child;
  };

  beforeAll(async () => {
    p = await startBookingPlatform("saga_crash", {
      external: { reservation: true },
      deadlineSeconds: 60,
      sagaTimings: { leaseMs: 1_500, resumeEveryMs: 100 },
    });
    service = p.external.reservation!;
    host = await p.host();
  }, 60_000);
  afterAll(async () => {
    await child?.stop();
    await p?.close();
  });

  it.each<[string, string, keyof typeof ENDS]>([
    ["ReservationRequested", "tok_visa", "confirmed"],
    ["RoomsHeld", "tok_visa", "confirmed"],
    ["PaymentAuthorized", "tok_visa", "confirmed"],
    ["ReservationConfirmed", "tok_visa", "confirmed"],
    ["ReservationFailed", "tok_captureFails", "undone"],
    ["PaymentVoided", "tok_captureFails", "undone"],
  ])(
    "after %s (%s): restarted, it ends %s, every step once, the card authorized and captured once",
    async (event, token, end) => {
      const rt = await listedRoomType(host, { units: 1 });
      const guest = await p.guest();
      const before = { ...p.calls };

      const doomed = await startReservation({ RESERVATION_CRASH_AFTER: event });
      const req = stay(rt, token);
      const answer = guest.reservations.createReservation(req).catch((e: unknown) => e);
      expect(await doomed.exited).toBe("SIGKILL");
      await answer;

      await startReservation();
      const { reservationId } = await onlyReservation(guest, rt.propertyId);
      const reservation = await settledEnd(p, guest, reservationId, ENDS[end]);
      if (end === "undone") expect(reservation.failureReason).toBe(FailureReason.PAYMENT_ERROR);
      expect({ authorize: p.calls.authorize - before.authorize, capture: p.calls.capture - before.capture }).toEqual({ authorize: 1, capture: 1 });

      // The guest's retry of the request that died with the process names the same reservation.
      const { reservation: again } = await guest.reservations.createReservation(req);
      expect(again).toMatchObject({ reservationId, status: ENDS[end].status });
      expect(await history(guest, reservationId)).toEqual(ENDS[end].events);
      await child?.stop();
    },
    120_000,
  );
});

describe("the payment process killed between the provider's capture and its record", () => {
  let p: BookingPlatform;
  let service: ExternalService;
  let child: ServiceChild | undefined;

  const startPayment = async (env: Record<string, string> = {}) => {
    child = await startServiceChild(PAYMENT_MAIN, service.url, { ...service.env, ...env });
    return child;
  };

  beforeAll(async () => {
    // The deadline is far off: the saga retries the confirm step while payment restarts.
    p = await startBookingPlatform("saga_crash_payment", { external: { payment: true }, deadlineSeconds: 120, createWaitMs: 500 });
    service = p.external.payment!;
  }, 60_000);
  afterAll(async () => {
    await p?.close();
    await child?.stop();
  });

  it("restarted, the repeated capture books the reservation: CONFIRMED, one payment, captured once on record", async () => {
    const host = await p.host();
    const guest = await p.guest();
    const rt = await listedRoomType(host, { units: 1 });

    const doomed = await startPayment({ PAYMENT_CRASH_AFTER_PROVIDER_CAPTURE: "true" });
    const { reservation } = await guest.reservations.createReservation(stay(rt, "tok_visa"));
    expect(await doomed.exited).toBe("SIGKILL");
    const { reservationId } = reservation!;
    // The capture's answer is lost: the saga keeps trying the confirm step while payment is down.
    const { reservation: waiting } = await guest.reservations.getReservation({ reservationId });
    expect(waiting?.status).toBe(ReservationStatus.PAYMENT_AUTHORIZED);

    await startPayment();
    const booked = await settledEnd(p, guest, reservationId, ENDS.confirmed);
    const { payments } = await p.asReservation.payment.listPayments({ reservationId });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ paymentId: booked.paymentId, capturedAmount: booked.price?.total });
  }, 120_000);
});
