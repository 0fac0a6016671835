
import { HoldStatus } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { PaymentStatus } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { FailureReason, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingRequest, type BookingPlatform, eventually, listedRoomType, startBookingPlatform, type User } from "./booking-platform.js";

let p: BookingPlatform;
let host: User;
let guest: User;

beforeAll(async () => {
  p = await startBookingPlatform("booking_saga", { deadlineSeconds: 3 });
  host = await p.host();
  guest = await p.guest();
}, 60_000);
afterAll(() => p?.close());

const stay = (roomType: { propertyId: string; roomTypeId: string }, token = "tok_visa", extra: Record<string, unknown> = {}) =>
  bookingRequest(roomType, { checkIn: "2027-01-10", checkOut: "2027-01-12", guests: { adults: 2, children: 0 }, paymentMethodToken: token, ...extra });

/** The hold and payments the reservation left behind. */
async function traces(reservationId: string) {
  const hold = await p.asReservation.accommodation.getHold({ reservationId }).then((r) => r.hold, () => undefined);
  const { payments } = await p.asReservation.payment.listPayments({ reservationId });
  return { hold: hold?.status, payments: payments.map((x) => x.status) };
}

describe("CreateReservation", () => {
  it("books: the rooms confirmed, the money captured, the reservation CONFIRMED with its price and payment", async () => {
    const rt = await listedRoomType(host, { units: 2 });
    const { reservation } = await guest.reservations.createReservation(stay(rt));
    expect(reservation).toMatchObject({
      status: ReservationStatus.CONFIRMED,
      guestId: guest.userId,
      hostId: host.userId,
      nights: 2,
      price: { total: { amountMinor: 240_000n, currencyCode: "KRW" } },
    });
    expect(reservation!.paymentId).not.toBe("");
    expect(await traces(reservation!.reservationId)).toEqual({ hold: HoldStatus.CONFIRMED, payments: [PaymentStatus.CAPTURED] });
    const { payment } = await guest.payments.getPayment({ paymentId: reservation!.paymentId });
    expect(payment?.capturedAmount?.amountMinor).toBe(240_000n);
  });

  it("returns the same reservation for a retried request id, and refuses the id for another request", async () => {
    const rt = await listedRoomType(host, { units: 2 });
    const req = stay(rt);
    const first = await guest.reservations.createReservation(req);
    const again = await guest.reservations.createReservation(req);
    expect(again.reservation?.reservationId).toBe(first.reservation?.reservationId);
    await expect(guest.reservations.createReservation({ ...req, units: 2 })).rejects.toThrow(/already used/);
  });

  it.each<[string, string, Record<string, unknown>, FailureReason, { hold: HoldStatus | undefined; payments: PaymentStatus[] }]>([
    ["a declined card", "tok_chargeDeclined", {}, FailureReason.PAYMENT_DECLINED, { hold: HoldStatus.RELEASED, payments: [PaymentStatus.DECLINED] }],
    ["a failed capture", "tok_captureFails", {}, FailureReason.PAYMENT_ERROR, { hold: HoldStatus.RELEASED, payments: [PaymentStatus.VOIDED] }],
    ["a price that changed", "tok_visa", { expectedTotal: { amountMinor: 1n, currencyCode: "KRW" } }, FailureReason.PRICE_CHANGED, { hold: HoldStatus.RELEASED, payments: [] }],
    ["a party too big", "tok_visa", { guests: { adults: 5, children: 0 } }, FailureReason.OCCUPANCY_EXCEEDED, { hold: undefined, payments: [] }],
    ["sold out", "tok_visa", { units: 3 }, FailureReason.ROOMS_UNAVAILABLE, { hold: undefined, payments: [] }],
  ])("fails on %s, with everything undone", async (_name, token, extra, reason, left) => {
    const rt = await listedRoomType(host, { units: 2 });
    const { reservation } = await guest.reservations.createReservation(stay(rt, token, extra));
    expect(reservation).toMatchObject({ status: ReservationStatus.FAILED, failureReason: reason });
    expect(reservation!.failureMessage).not.toBe("");
    expect(await traces(reservation!.reservationId)).toEqual(left);
  });

  it("fails a booking whose provider stays down past the deadline, with nothing authorized and the rooms released", async () => {
    const rt = await listedRoomType(host, { units: 2 });
    const { reservation } = await guest.reservations.createReservation(stay(rt, "tok_providerUnavailable"));
    expect(reservation).toMatchObject({ status: ReservationStatus.FAILED, failureReason: FailureReason.PAYMENT_ERROR });
    expect(await traces(reservation!.reservationId)).toEqual({ hold: HoldStatus.RELEASED, payments: [] });
  });

  it("refuses stays in the past and longer than 30 nights before recording anything", async () => {
    const rt = await listedRoomType(host);
    await expect(guest.reservations.createReservation(stay(rt, "tok_visa", { checkIn: "2020-01-01", checkOut: "2020-01-03" }))).rejects.toThrow(/past/);
    await expect(guest.reservations.createReservation(stay(rt, "tok_visa", { checkOut: "2027-02-20" }))).rejects.toThrow(/30 nights/);
    const { reservations } = await guest.reservations.listReservations({});
    expect(reservations.every((r) => r.propertyId !== rt.propertyId)).toBe(true);
  });
});

describe("a dependency down", () => {
  it("accommodation down: the booking fails TIMED_OUT with nothing charged, and the rooms are released once it is back", async () => {
    const rt = await listedRoomType(host, { units: 2 });
    const authorizations = p.calls.authorize;
    await p.stopAccommodation();
    try {
      const { reservation } = await guest.reservations.createReservation(stay(rt));
      expect(reservation).toMatchObject({ status: ReservationStatus.FAILED, failureReason: FailureReason.TIMED_OUT });
      expect(p.calls.authorize).toBe(authorizations);
      const { payments } = await p.asReservation.payment.listPayments({ reservationId: reservation!.reservationId });
      expect(payments).toEqual([]);
    } finally {
      await p.startAccommodation();
    }
    const { reservations } = await guest.reservations.listReservations({ statuses: [ReservationStatus.FAILED] });
    const failed = reservations.find((r) => r.propertyId === rt.propertyId)!;
    // The release waits in the saga's queue until accommodation answers; its tombstone then
    // refuses a hold that arrives late.
    const hold = await eventually(async () => {
      const { events } = await guest.reservations.getReservationHistory({ reservationId: failed.reservationId });
      if (!events.some((e) => e.type.endsWith("RoomsReleased"))) throw new Error("not released yet");
      return p.asReservation.accommodation.getHold({ reservationId: failed.reservationId }).then((r) => r.hold, () => undefined);
    }, 30_000);
    expect(hold).toBeUndefined();
  }, 60_000);
});
