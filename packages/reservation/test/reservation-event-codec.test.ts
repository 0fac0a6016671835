// Every reservation event survives the trip through its contract message: what is recorded is
// what a replay folds, to the same state.
import { fold } from "@triphub/platform/events";
import { expect, it } from "vitest";
import type { ReservationCommand } from "../src/domain/reservation-commands.js";
import { reservationDecider } from "../src/domain/reservation-decider.js";
import type { HeldRooms, ReservationEvent } from "../src/domain/reservation-events.js";
import type { ReservationState } from "../src/domain/reservation-state.js";
import { decodeReservationEvent, encodeReservationEvent } from "../src/proto-mapping/events.js";

const at = new Date("2026-12-04T10:00:00.000Z");
const krw = (amountMinor: bigint) => ({ amountMinor, currency: "KRW" });
const hold: HeldRooms = {
  holdId: "hold-1",
  hostId: "00000000-0000-4000-8000-0000000000ee",
  propertyName: "Hanok",
  roomTypeName: "Ondol",
  price: { total: krw(200_001n), units: 1, nights: [{ date: "2027-03-01", price: krw(100_000n) }, { date: "2027-03-02", price: krw(100_001n) }], averageNightly: krw(100_000n) },
  cancellationPolicy: "strict",
  timeZone: "Asia/Seoul",
  checkInTime: "15:00",
  checkOutTime: "11:00",
  holdExpiresAt: new Date(at.getTime() + 900_000),
};
const request: ReservationCommand = {
  type: "Request",
  reservationId: "00000000-0000-4000-8000-000000000001",
  requested: {
    requestId: "00000000-0000-4000-8000-0000000000aa",
    guestId: "00000000-0000-4000-8000-0000000000bb",
    propertyId: "00000000-0000-4000-8000-0000000000cc",
    roomTypeId: "00000000-0000-4000-8000-0000000000dd",
    checkIn: "2027-03-01",
    checkOut: "2027-03-03",
    units: 1,
    guests: { adults: 2, children: 1 },
    contact: { fullName: "Kim Minji", email: "minji@example.com", phone: "+821012345678" },
    specialRequests: "late arrival",
    paymentMethodToken: "tok_visa",
    expectedTotal: krw(200_001n),
  },
};

/** The events of a booking that confirms, is cancelled by its host and refunded, and of one that fails and is undone. */
function histories(): ReservationEvent[][] {
  const paths: ReservationCommand[][] = [
    [
      request,
      { type: "RecordHold", hold },
      { type: "RecordAuthorization", paymentId: "pay-1", amount: krw(200_001n) },
      { type: "Confirm", paymentId: "pay-1", captured: krw(200_001n) },
      { type: "Cancel", actor: "host", actorId: "host-1", reason: "property_unavailable", note: "flooded" },
      { type: "RecordRefund", paymentId: "pay-1", refundId: "ref-1", amount: krw(200_001n) },
      { type: "RecordRelease", holdId: "hold-1" },
    ],
    [
      request,
      { type: "RecordHold", hold },
      { type: "RecordAuthorization", paymentId: "pay-2", amount: krw(200_001n) },
      { type: "Fail", reason: "payment_error", message: "the payment could not be captured" },
      { type: "RecordVoid", paymentId: "pay-2" },
      { type: "RecordRefundFailure", paymentId: "pay-2", message: "refused" },
      { type: "RecordRelease", holdId: "hold-1" },
    ],
  ];
  return paths.map((commands) => {
    let state: ReservationState = reservationDecider.initialState;
    const events: ReservationEvent[] = [];
    for (const c of commands) {
      const decided = reservationDecider.decide(c, state, at);
      events.push(...decided);
      state = fold(reservationDecider, decided, state);
    }
    return events;
  });
}

it("encodes and decodes every event of a booking's life to itself, and replays to the same state", () => {
  const all = histories();
  const types = new Set(all.flat().map((e) => e.type));
  expect(types.size).toBeGreaterThanOrEqual(10);
  for (const events of all) {
    const replayed = events.map((e) => {
      const { type, payload } = encodeReservationEvent(e);
      expect(type).toBe(`triphub.reservation.v1.${e.type}`);
      return decodeReservationEvent(type, payload, e.at);
    });
    expect(replayed).toEqual(events);
    expect(fold(reservationDecider, replayed)).toEqual(fold(reservationDecider, events));
  }
});
