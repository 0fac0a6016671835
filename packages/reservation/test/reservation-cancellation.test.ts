
import { Code, ConnectError } from "@connectrpc/connect";
import { HoldStatus } from "@triphub/contracts/triphub/accommodation/v1/hold_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { PaymentStatus } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { CancellationReason, type Reservation, RefundStatus, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { rejectionOf } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingRequest, type BookingPlatform, eventually, listedRoomType, settled, startBookingPlatform, type User } from "./booking-platform.js";

let p: BookingPlatform;
let host: User;
let guest: User;

beforeAll(async () => {
  p = await startBookingPlatform("reservation_cancellation");
  [host, guest] = await Promise.all([p.host(), p.guest()]);
}, 60_000);
afterAll(() => p?.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
// Check-in is 15:00 in Seoul: 06:00Z.
const checkInInstant = (date: string) => new Date(`${date}T06:00:00.000Z`).getTime();

/** Moves the clock to `at` (never back) and signs everyone in again (tokens expire with the jump). */
async function moveTo(at: number): Promise<void> {
  const by = at - p.clock.now().getTime();
  if (by < 0) throw new Error("the clock only moves forwards here");
  p.clock.advance(by);
  [host, guest] = await Promise.all([p.signInAgain(host), p.signInAgain(guest)]);
  p.admin = await p.signInAgain(p.admin);
}

/**
 * Books 3 nights at 100,001 KRW (300,003 in all, first night 100,001) under `policy`, checking
 * in about `daysAhead` days from now, with `token`.
 */
async function bookStay(policy: CancellationPolicy, daysAhead: number, token = "tok_visa"): Promise<Reservation> {
  const rt = await listedRoomType(host, { units: 2, nightly: 100_001n, policy });
  const checkIn = dateOf(p.clock.now().getTime() + daysAhead * DAY);
  const { reservation } = await guest.reservations.createReservation(
    bookingRequest(rt, { checkIn, checkOut: dateOf(checkInInstant(checkIn) + 3 * DAY), guests: { adults: 2, children: 0 }, paymentMethodToken: token }),
  );
  const r = await settled(guest, reservation!);
  expect(r.status).toBe(ReservationStatus.CONFIRMED);
  return r;
}

async function cancelAs(who: User, r: Reservation) {
  const res = await who.reservations.cancelReservation({ reservationId: r.reservationId, reason: CancellationReason.CHANGE_OF_PLANS });
  return { reservation: res.reservation!, refund: res.refundAmount?.amountMinor };
}

/** The payment once the cancellation's refund has gone through (or failed). */
async function paymentAfterRefund(r: Reservation) {
  return eventually(async () => {
    const { reservation } = await guest.reservations.getReservation({ reservationId: r.reservationId });
    if (reservation?.cancellation?.refundStatus === RefundStatus.PENDING) throw new Error("refund pending");
    const { payment } = await p.asReservation.payment.getPayment({ paymentId: r.paymentId });
    return { payment: payment!, reservation: reservation! };
  });
}

describe("a guest's refund follows the policy", () => {
  it.each<[string, CancellationPolicy, number, number, bigint]>([
    // policy, booked days ahead, cancelled hours before check-in, refund (the exact edges are
    // stay-rules' unit tests: the clock runs here)
    ["flexible, a day or more before", CancellationPolicy.FLEXIBLE, 10, 25, 300_003n],
    ["flexible, within a day: the first night is kept", CancellationPolicy.FLEXIBLE, 10, 23, 200_002n],
    ["moderate, 5 days or more before", CancellationPolicy.MODERATE, 10, 5 * 24 + 1, 300_003n],
    ["moderate, within 5 days: half, rounded down", CancellationPolicy.MODERATE, 10, 5 * 24 - 1, 150_001n],
    ["strict, 7 days or more before: half", CancellationPolicy.STRICT, 10, 7 * 24 + 1, 150_001n],
    ["strict, within 7 days: nothing", CancellationPolicy.STRICT, 10, 7 * 24 - 1, 0n],
    ["non-refundable: nothing", CancellationPolicy.NON_REFUNDABLE, 10, 9 * 24, 0n],
  ])("%s", async (_name, policy, daysAhead, hoursBefore, refund) => {
    const r = await bookStay(policy, daysAhead);
    await moveTo(checkInInstant(r.checkIn) - hoursBefore * HOUR);
    const quote = await guest.reservations.cancelReservation({ reservationId: r.reservationId, reason: 1, validateOnly: true });
    expect(quote.refundAmount?.amountMinor).toBe(refund);
    expect(quote.reservation?.status).toBe(ReservationStatus.CONFIRMED);

    const done = await cancelAs(guest, r);
    expect(done.refund).toBe(refund);
    expect(done.reservation.status).toBe(ReservationStatus.CANCELLED);
    const { payment, reservation } = await paymentAfterRefund(r);
    expect(payment.refundedAmount?.amountMinor ?? 0n).toBe(refund);
    expect(payment.status).toBe(refund === 0n ? PaymentStatus.CAPTURED : refund === 300_003n ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED);
    expect(reservation.cancellation?.refundStatus).toBe(refund === 0n ? RefundStatus.NOT_REQUIRED : RefundStatus.SUCCEEDED);
    // The rooms go back on sale.
    const { hold } = await p.asReservation.accommodation.getHold({ reservationId: r.reservationId });
    expect(hold?.status).toBe(HoldStatus.RELEASED);
  });

  it("strict: in full within 48 hours of booking when check-in is 14 days or more away", async () => {
    const r = await bookStay(CancellationPolicy.STRICT, 20);
    await moveTo(p.clock.now().getTime() + 47 * HOUR);
    expect((await cancelAs(guest, r)).refund).toBe(300_003n);
  });
});

describe("the host or an admin refund in full", () => {
  it.each<[string, () => User]>([
    ["the host", () => host],
    ["an admin", () => p.admin],
  ])("%s, even a non-refundable stay", async (_name, who) => {
    const r = await bookStay(CancellationPolicy.NON_REFUNDABLE, 3);
    const done = await cancelAs(who(), r);
    expect(done.refund).toBe(300_003n);
    expect(done.reservation.cancellation?.cancelledBy).toBe(_name === "the host" ? 2 : 3);
    expect((await paymentAfterRefund(r)).payment.status).toBe(PaymentStatus.REFUNDED);
  });
});

describe("cancelling safely", () => {
  it("ten cancellations at once refund once, never more than was captured", async () => {
    const r = await bookStay(CancellationPolicy.FLEXIBLE, 10);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => cancelAs(guest, r)));
    expect(results.every((x) => x.status === "fulfilled")).toBe(true);
    const { payment } = await paymentAfterRefund(r);
    expect(payment.refunds).toHaveLength(1);
    expect(payment.refundedAmount?.amountMinor).toBe(300_003n);
    // Cancelling a cancelled reservation returns it unchanged.
    const again = await cancelAs(guest, r);
    expect(again.reservation.version).toBe((await guest.reservations.getReservation({ reservationId: r.reservationId })).reservation?.version);
  });

  it("a refund the provider refuses is marked FAILED for an operator, and nothing else changes", async () => {
    const r = await bookStay(CancellationPolicy.FLEXIBLE, 10, "tok_refundFails");
    await cancelAs(guest, r);
    const { payment, reservation } = await paymentAfterRefund(r);
    expect(reservation.cancellation?.refundStatus).toBe(RefundStatus.FAILED);
    expect(payment.refundedAmount?.amountMinor ?? 0n).toBe(0n);
  });

  it("refuses to cancel a stay that has begun", async () => {
    const r = await bookStay(CancellationPolicy.FLEXIBLE, 2);
    await moveTo(checkInInstant(r.checkIn) + HOUR);
    const err = await rejectionOf(cancelAs(guest, r), ConnectError);
    expect(err.code).toBe(Code.FailedPrecondition);
  });
});
