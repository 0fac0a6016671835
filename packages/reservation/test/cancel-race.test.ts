
import { HoldStatus } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { PaymentStatus } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { CancellationReason, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingRequest, type BookingPlatform, eventually, listedRoomType, startBookingPlatform, type User } from "./booking-platform.js";

let p: BookingPlatform;
let host: User;
let guest: User;

// CreateReservation answers at once, so the cancellation meets the saga wherever it is.
beforeAll(async () => {
  p = await startBookingPlatform("cancel_race", { createWaitMs: 0 });
  [host, guest] = await Promise.all([p.host(), p.guest()]);
}, 60_000);
afterAll(() => p?.close());

describe("cancelling a booking in progress", () => {
  it("ends CANCELLED with the hold released and every payment voided or refunded in full, at any step", async () => {
    const rt = await listedRoomType(host, { units: 30 });
    // Cancel after 0..~60 ms, so the saga is caught at different steps.
    const ids = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const { reservation } = await guest.reservations.createReservation(bookingRequest(rt, { checkIn: "2027-07-01", checkOut: "2027-07-03" }));
        await new Promise((r) => setTimeout(r, (i % 8) * 8));
        const cancelled = await guest.reservations.cancelReservation({
          reservationId: reservation!.reservationId,
          reason: CancellationReason.CHANGE_OF_PLANS,
        });
        expect(cancelled.reservation?.status).toBe(ReservationStatus.CANCELLED);
        return reservation!.reservationId;
      }),
    );
    for (const reservationId of ids) {
      await eventually(async () => {
        const { hold } = await p.asReservation.accommodation.getHold({ reservationId }).catch(() => ({ hold: undefined }));
        expect(hold === undefined || hold.status === HoldStatus.RELEASED).toBe(true);
        const { payments } = await p.asReservation.payment.listPayments({ reservationId });
        for (const payment of payments) {
          expect([PaymentStatus.VOIDED, PaymentStatus.REFUNDED]).toContain(payment.status);
          if (payment.status === PaymentStatus.REFUNDED) expect(payment.refundedAmount).toEqual(payment.capturedAmount);
        }
        const { reservation } = await guest.reservations.getReservation({ reservationId });
        expect(reservation?.status).toBe(ReservationStatus.CANCELLED);
      }, 30_000);
    }
    const { days } = await host.accommodation.getCalendar({ ...rt, startDate: "2027-07-01", endDate: "2027-07-03" });
    expect(days.map((d) => [d.bookedUnits, d.heldUnits])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  }, 120_000);
});
