// The reservation's rules and the saga's next step, as pure functions: each saga path folds
// to the state the next step is read from, with no service and no database.
import { fold } from "@triphub/platform/events";
import { describe, expect, it } from "vitest";
import type { Money } from "../src/domain/money.js";
import type { CancellationActor, FailureReason } from "../src/domain/reservation.js";
import type { ReservationCommand } from "../src/domain/reservation-commands.js";
import { reservationDecider } from "../src/domain/reservation-decider.js";
import type { HeldRooms } from "../src/domain/reservation-events.js";
import type { ReservationState } from "../src/domain/reservation-state.js";
import { nextStep } from "../src/domain/saga.js";

const now = new Date("2026-12-04T10:00:00.000Z");
const krw = (n: bigint): Money => ({ amountMinor: n, currency: "KRW" });
const ID = "00000000-0000-4000-8000-000000000001";

function requested(expected?: bigint): ReservationCommand {
  return {
    type: "Request",
    reservationId: ID,
    requested: {
      requestId: "00000000-0000-4000-8000-0000000000aa",
      guestId: "00000000-0000-4000-8000-0000000000bb",
      propertyId: "00000000-0000-4000-8000-0000000000cc",
      roomTypeId: "00000000-0000-4000-8000-0000000000dd",
      checkIn: "2027-03-01",
      checkOut: "2027-03-04",
      units: 1,
      guests: { adults: 2, children: 0 },
      contact: { fullName: "Guest", email: "guest@example.com", phone: "" },
      specialRequests: "",
      paymentMethodToken: "tok_visa",
      expectedTotal: expected === undefined ? undefined : krw(expected),
    },
  };
}

const hold: HeldRooms = {
  holdId: "hold-1",
  hostId: "00000000-0000-4000-8000-0000000000ee",
  propertyName: "Hanok",
  roomTypeName: "Ondol",
  price: {
    total: krw(300_000n),
    units: 1,
    nights: ["2027-03-01", "2027-03-02", "2027-03-03"].map((date) => ({ date, price: krw(100_000n) })),
    averageNightly: krw(100_000n),
  },
  cancellationPolicy: "flexible",
  timeZone: "Asia/Seoul",
  checkInTime: "15:00",
  checkOutTime: "11:00",
  holdExpiresAt: new Date(now.getTime() + 900_000),
};

/** Runs commands in order, as the store would, and returns the state they leave. */
function run(...commands: ReservationCommand[]): ReservationState {
  let state: ReservationState = reservationDecider.initialState;
  for (const c of commands) state = fold(reservationDecider, reservationDecider.decide(c, state, now), state);
  return state;
}

const fail = (reason: FailureReason): ReservationCommand => ({ type: "Fail", reason, message: "no" });
const cancel = (actor: CancellationActor = "guest"): ReservationCommand => ({
  type: "Cancel",
  actor,
  actorId: "someone",
  reason: "change_of_plans",
  note: "",
});
const authorize: ReservationCommand = { type: "RecordAuthorization", paymentId: "pay-1", amount: krw(300_000n) };
const confirm: ReservationCommand = { type: "Confirm", paymentId: "pay-1", captured: krw(300_000n) };

describe("the booking saga's path", () => {
  it("walks REQUESTED -> ROOMS_HELD -> PAYMENT_AUTHORIZED -> CONFIRMED, one step at a time", () => {
    expect(nextStep(run(requested()))).toEqual({ kind: "hold" });
    expect(run(requested(), { type: "RecordHold", hold })?.reservation.status).toBe("rooms_held");
    expect(nextStep(run(requested(), { type: "RecordHold", hold }))).toEqual({ kind: "authorize" });
    expect(nextStep(run(requested(), { type: "RecordHold", hold }, authorize))).toEqual({ kind: "confirm", paymentId: "pay-1" });
    const done = run(requested(), { type: "RecordHold", hold }, authorize, confirm);
    expect(done?.reservation).toMatchObject({ status: "confirmed", paymentId: "pay-1", hostId: hold.hostId, version: 4, nights: 3 });
    expect(nextStep(done)).toBeUndefined();
  });

  it("records each fact once: a repeated step's report adds nothing", () => {
    const held = run(requested(), { type: "RecordHold", hold });
    expect(reservationDecider.decide({ type: "RecordHold", hold }, held, now)).toEqual([]);
    expect(reservationDecider.decide(requested(), held, now)).toEqual([]);
    const authorized = run(requested(), { type: "RecordHold", hold }, authorize);
    expect(reservationDecider.decide(authorize, authorized, now)).toEqual([]);
  });

  it("fails PRICE_CHANGED when the held total is not the expected one, and releases the rooms without touching payment", () => {
    const state = run(requested(299_999n), { type: "RecordHold", hold });
    expect(state?.reservation).toMatchObject({ status: "failed", failure: { reason: "price_changed" } });
    expect(nextStep(state)).toEqual({ kind: "release", because: "failed" });
    expect(run(requested(300_000n), { type: "RecordHold", hold })?.reservation.status).toBe("rooms_held");
  });
});

describe("compensations, in reverse order", () => {
  it.each<[string, ReservationCommand[], ReturnType<typeof nextStep>]>([
    ["sold out: nothing was held, nothing to undo", [fail("rooms_unavailable")], undefined],
    ["timed out holding: a hold may exist, release it", [fail("timed_out")], { kind: "release", because: "failed" }],
    ["declined: release the rooms", [{ type: "RecordHold", hold }, fail("payment_declined")], { kind: "release", because: "failed" }],
    [
      "timed out authorizing: look the payment up first",
      [{ type: "RecordHold", hold }, fail("timed_out")],
      { kind: "unwindPayment", paymentId: "" },
    ],
    [
      "capture failed: unwind the payment first",
      [{ type: "RecordHold", hold }, authorize, fail("payment_error")],
      { kind: "unwindPayment", paymentId: "pay-1" },
    ],
    [
      "payment unwound: then the rooms",
      [{ type: "RecordHold", hold }, authorize, fail("payment_error"), { type: "RecordVoid", paymentId: "pay-1" }],
      { kind: "release", because: "failed" },
    ],
    [
      "all undone",
      [
        { type: "RecordHold", hold },
        authorize,
        fail("payment_error"),
        { type: "RecordVoid", paymentId: "pay-1" },
        { type: "RecordRelease", holdId: "hold-1" },
      ],
      undefined,
    ],
  ])("%s", (_name, commands, step) => {
    expect(nextStep(run(requested(), ...commands))).toEqual(step);
  });

  it("records a lookup that found no payment, and then a payment reported late is unwound too", () => {
    const looked = run(requested(), { type: "RecordHold", hold }, fail("timed_out"), { type: "RecordVoid", paymentId: "" });
    expect(nextStep(looked)).toEqual({ kind: "release", because: "failed" });
    const late = fold(reservationDecider, reservationDecider.decide(authorize, looked, now), looked);
    expect(late?.reservation.status).toBe("failed");
    expect(nextStep(late)).toEqual({ kind: "unwindPayment", paymentId: "pay-1" });
  });
});

describe("cancellation", () => {
  it("stops a saga in progress: nothing refunded, the authorization voided and the rooms released", () => {
    const state = run(requested(), { type: "RecordHold", hold }, authorize, cancel());
    expect(state?.reservation.status).toBe("cancelled");
    expect(state?.reservation.cancellation).toMatchObject({ refundStatus: "not_required", refundAmount: { amountMinor: 0n } });
    expect(nextStep(state)).toEqual({ kind: "unwindPayment", paymentId: "pay-1" });
  });

  it("of a confirmed stay owes a refund, then releases the rooms; the refund's result is recorded", () => {
    const state = run(requested(), { type: "RecordHold", hold }, authorize, confirm, cancel("host"));
    expect(state?.reservation.cancellation).toMatchObject({ refundStatus: "pending", refundAmount: { amountMinor: 300_000n } });
    expect(nextStep(state)).toMatchObject({ kind: "refund", paymentId: "pay-1", amount: { amountMinor: 300_000n } });
    const refunded = fold(
      reservationDecider,
      reservationDecider.decide({ type: "RecordRefund", paymentId: "pay-1", refundId: "r1", amount: krw(300_000n) }, state, now),
      state,
    );
    expect(refunded?.reservation.cancellation?.refundStatus).toBe("succeeded");
    expect(nextStep(refunded)).toEqual({ kind: "release", because: "cancelled" });
  });

  it("is idempotent once cancelled and refused for a failed booking", () => {
    const cancelled = run(requested(), cancel());
    expect(reservationDecider.decide(cancel(), cancelled, now)).toEqual([]);
    expect(() => reservationDecider.decide(cancel(), run(requested(), fail("rooms_unavailable")), now)).toThrow(/failed booking/);
  });

  it("ignores a saga step that reports after the cancellation, except to undo what it did", () => {
    const cancelled = run(requested(), { type: "RecordHold", hold }, cancel());
    const authorizedLate = fold(reservationDecider, reservationDecider.decide(authorize, cancelled, now), cancelled);
    expect(authorizedLate?.reservation.status).toBe("cancelled");
    expect(nextStep(authorizedLate)).toEqual({ kind: "unwindPayment", paymentId: "pay-1" });
    expect(reservationDecider.decide(confirm, authorizedLate, now)).toEqual([]);
  });
});
