
import { PaymentStatus } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { FailureReason, type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingRequest, type BookingPlatform, listedRoomType, settled, startBookingPlatform, type User } from "./booking-platform.js";

let p: BookingPlatform;
let host: User;
let guests: User[];

beforeAll(async () => {
  p = await startBookingPlatform("booking_contention", { deadlineSeconds: 60, createWaitMs: 20_000 });
  host = await p.host();
  guests = await Promise.all(Array.from({ length: 25 }, () => p.guest()));
}, 120_000);
afterAll(() => p?.close());

const request = (rt: { propertyId: string; roomTypeId: string }, checkIn: string, checkOut: string) => bookingRequest(rt, { checkIn, checkOut });

/** Every payment of the reservations, as the payment service has them. */
async function paymentsOf(reservations: Reservation[]) {
  const lists = await Promise.all(reservations.map((r) => p.asReservation.payment.listPayments({ reservationId: r.reservationId })));
  return lists.flatMap((l) => l.payments);
}

describe("contention", () => {
  it("500 bookings for 10 units on the same nights: exactly 10 confirmed and captured, the rest ROOMS_UNAVAILABLE with no money taken", async () => {
    const rt = await listedRoomType(host, { units: 10 });
    const authorizeBefore = p.calls.authorize;
    const made = await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        const guest = guests[i % guests.length];
        const { reservation } = await guest.reservations.createReservation(request(rt, "2027-02-01", "2027-02-04"));
        return settled(guest, reservation!);
      }),
    );
    const confirmed = made.filter((r) => r.status === ReservationStatus.CONFIRMED);
    const failed = made.filter((r) => r.status === ReservationStatus.FAILED);
    expect(confirmed).toHaveLength(10);
    expect(failed).toHaveLength(490);
    expect(new Set(failed.map((r) => r.failureReason))).toEqual(new Set([FailureReason.ROOMS_UNAVAILABLE]));

    const { days } = await host.accommodation.getCalendar({ ...rt, startDate: "2027-02-01", endDate: "2027-02-04" });
    expect(days.map((d) => [d.bookedUnits, d.heldUnits, d.remainingUnits])).toEqual([
      [10, 0, 0],
      [10, 0, 0],
      [10, 0, 0],
    ]);
    const payments = await paymentsOf(made);
    expect(payments.filter((x) => x.status === PaymentStatus.CAPTURED)).toHaveLength(10);
    expect(payments).toHaveLength(10);
    expect(p.calls.authorize - authorizeBefore).toBe(10);
  }, 180_000);

  it("overlapping stays: no night is sold beyond its units, and every confirmed stay is paid exactly once", async () => {
    const rt = await listedRoomType(host, { units: 4 });
    // Stays of 1-3 nights starting on one of the first five nights of March.
    const stays = Array.from({ length: 120 }, (_, i) => {
      const start = 1 + (i % 5);
      const nights = 1 + (i % 3);
      const date = (d: number) => `2027-03-${String(d).padStart(2, "0")}`;
      return [date(start), date(start + nights)] as const;
    });
    const made = await Promise.all(
      stays.map(async ([checkIn, checkOut], i) => {
        const guest = guests[i % guests.length];
        const { reservation } = await guest.reservations.createReservation(request(rt, checkIn, checkOut));
        return settled(guest, reservation!);
      }),
    );
    const confirmed = made.filter((r) => r.status === ReservationStatus.CONFIRMED);
    expect(made.filter((r) => r.status === ReservationStatus.FAILED).every((r) => r.failureReason === FailureReason.ROOMS_UNAVAILABLE)).toBe(true);
    expect(confirmed.length).toBeGreaterThan(0);

    const { days } = await host.accommodation.getCalendar({ ...rt, startDate: "2027-03-01", endDate: "2027-03-09" });
    for (const day of days) {
      const sold = confirmed.filter((r) => r.checkIn <= day.date && day.date < r.checkOut).length;
      expect({ date: day.date, booked: day.bookedUnits, held: day.heldUnits }).toEqual({ date: day.date, booked: sold, held: 0 });
      expect(sold).toBeLessThanOrEqual(4);
    }
    const payments = await paymentsOf(made);
    expect(payments.map((x) => x.status).sort()).toEqual(confirmed.map(() => PaymentStatus.CAPTURED));
  }, 180_000);
});

describe("retries", () => {
  it("the same request sent 100 times at once makes one reservation, one payment and one provider authorization", async () => {
    const rt = await listedRoomType(host, { units: 3 });
    const guest = guests[0];
    const req = request(rt, "2027-04-01", "2027-04-03");
    const authorizeBefore = p.calls.authorize;
    const answers = await Promise.all(Array.from({ length: 100 }, () => guest.reservations.createReservation(req)));
    const ids = new Set(answers.map((a) => a.reservation!.reservationId));
    expect(ids.size).toBe(1);
    const [id] = ids;
    const final = await settled(guest, answers[0].reservation!);
    expect(final.status).toBe(ReservationStatus.CONFIRMED);
    const { payments } = await p.asReservation.payment.listPayments({ reservationId: id });
    expect(payments.map((x) => x.status)).toEqual([PaymentStatus.CAPTURED]);
    expect(p.calls.authorize - authorizeBefore).toBe(1);
    const { reservations } = await guest.reservations.listReservations({ pageSize: 100 });
    expect(reservations.filter((r) => r.requestId === req.requestId)).toHaveLength(1);
  }, 120_000);
});
