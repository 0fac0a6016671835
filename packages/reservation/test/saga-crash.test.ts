// The booking saga survives crashes: the reservation process is SIGKILLed right after each of
// the saga's events in turn (the RESERVATION_CRASH_AFTER failpoint), then started again on the
// same database without it; payment is SIGKILLed between the provider's capture and its record
// (PAYMENT_CRASH_AFTER_PROVIDER_CAPTURE), and then kept down past the saga's deadline. Every
// reservation must end CONFIRMED or FAILED, each step recorded once, with the hold and the
// payments agreeing and the card charged once (and, when the booking failed, refunded).
// saga-crash-lost-answer.test.ts kills it before each outcome is recorded.
import { PaymentStatus, RefundStatus } from "@triphub/contracts/triphub/payment/v1/payment_pb";
import { ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingPlatform, type ExternalService, eventually, listedRoomType, startBookingPlatform } from "./booking-platform.js";
import { type CrashHarness, diedAtFailpoint, type End, PAYMENT_MAIN, settledEnd, startCrashHarness, stay } from "./crash-harness.js";
import { type ServiceChild, startServiceChild } from "./service-child.js";

describe("the reservation process killed right after each saga event", () => {
  let h: CrashHarness;
  beforeAll(async () => {
    h = await startCrashHarness("saga_crash");
  }, 60_000);
  afterAll(() => h?.close());

  it.each<[string, string, End]>([
    ["ReservationRequested", "tok_visa", "confirmed"],
    ["RoomsHeld", "tok_visa", "confirmed"],
    ["PaymentAuthorized", "tok_visa", "confirmed"],
    ["ReservationConfirmed", "tok_visa", "confirmed"],
    ["ReservationFailed", "tok_captureFails", "undone"],
    ["PaymentVoided", "tok_captureFails", "undone"],
  ])(
    "after %s (%s): restarted, it ends %s, every step once, the card authorized and captured once",
    async (event, token, end) => {
      const calls = await h.crashAndResume({ RESERVATION_CRASH_AFTER: event }, token, end);
      expect(calls).toEqual({ authorize: 1, capture: 1, void: end === "undone" ? 1 : 0 });
    },
    120_000,
  );
});

/**
 * A booking platform whose payment service runs as a child process each test starts (and may
 * kill), with the saga deadline `deadlineSeconds`; registers its set-up and tear-down hooks.
 */
function withPaymentChild(name: string, deadlineSeconds: number) {
  let p: BookingPlatform | undefined;
  let service: ExternalService;
  let child: ServiceChild | undefined;
  beforeAll(async () => {
    p = await startBookingPlatform(name, { external: { payment: true }, deadlineSeconds, createWaitMs: 500 });
    service = p.external.payment!;
  }, 60_000);
  afterAll(async () => {
    await p?.close();
    await child?.stop();
  });
  return {
    platform: (): BookingPlatform => p!,
    async start(env: Record<string, string> = {}): Promise<ServiceChild> {
      child = await startServiceChild(PAYMENT_MAIN, service.url, { ...service.env, ...env });
      return child;
    },
  };
}

describe("the payment process killed between the provider's capture and its record", () => {
  // The deadline is far off: the saga retries the confirm step while payment restarts.
  const payment = withPaymentChild("saga_crash_payment", 120);

  it("restarted, the repeated capture books the reservation: CONFIRMED, one payment, captured once on record", async () => {
    const p = payment.platform();
    const host = await p.host();
    const guest = await p.guest();
    const rt = await listedRoomType(host, { units: 1 });

    const doomed = await payment.start({ PAYMENT_CRASH_AFTER_PROVIDER_CAPTURE: "true" });
    const { reservation } = await guest.reservations.createReservation(stay(rt, "tok_visa"));
    expect(await diedAtFailpoint(doomed)).toBe("SIGKILL");
    const { reservationId } = reservation!;
    // The capture's answer is lost: the saga keeps trying the confirm step while payment is down.
    const { reservation: waiting } = await guest.reservations.getReservation({ reservationId });
    expect(waiting?.status).toBe(ReservationStatus.PAYMENT_AUTHORIZED);

    await payment.start();
    const booked = await settledEnd(p, guest, reservationId, "confirmed");
    const { payments } = await p.asReservation.payment.listPayments({ reservationId });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ paymentId: booked.paymentId, status: PaymentStatus.CAPTURED, capturedAmount: booked.price?.total });
  }, 120_000);
});

describe("the payment process killed after the provider's capture and kept down past the saga's deadline", () => {
  // A short deadline (with room to reach the capture on a busy machine): the booking fails
  // while payment is down, and its unwind waits for payment to come back.
  const payment = withPaymentChild("saga_crash_payment_outage", 15);

  it("restarted, the unwind finds the capture and refunds it: FAILED, the payment REFUNDED, never VOIDED with the money taken", async () => {
    const p = payment.platform();
    const host = await p.host();
    const guest = await p.guest();
    const rt = await listedRoomType(host, { units: 1 });

    const doomed = await payment.start({ PAYMENT_CRASH_AFTER_PROVIDER_CAPTURE: "true" });
    const { reservation } = await guest.reservations.createReservation(stay(rt, "tok_visa"));
    expect(await diedAtFailpoint(doomed)).toBe("SIGKILL");
    const { reservationId } = reservation!;
    // Payment stays down until the saga gives up on the booking.
    const failed = await eventually(async () => {
      const { reservation: r } = await guest.reservations.getReservation({ reservationId });
      expect(r?.status).toBe(ReservationStatus.FAILED);
      return r!;
    }, 60_000);

    await payment.start();
    await settledEnd(p, guest, reservationId, "refunded");
    const { payments } = await p.asReservation.payment.listPayments({ reservationId });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      status: PaymentStatus.REFUNDED,
      capturedAmount: failed.price?.total,
      refundedAmount: failed.price?.total,
      refunds: [expect.objectContaining({ status: RefundStatus.SUCCEEDED, amount: failed.price?.total })],
    });
  }, 150_000);
});
