// Who sees what: a guest their own reservations and payments, a host the bookings at their
// properties, an admin everything; anyone else is told the reservation does not exist. Also
// the views of one reservation: its history (card token redacted) and following it live.
import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";
import { type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { fromBinary } from "@bufbuild/protobuf";
import { rejectionOf } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingRequest, type BookingPlatform, listedRoomType, settled, startBookingPlatform, type User } from "./booking-platform.js";

let p: BookingPlatform;
let host: User;
let otherHost: User;
let guest: User;
let stranger: User;
let booked: Reservation;
let rt: { propertyId: string; roomTypeId: string };

// CreateReservation answers at once here, so a watcher sees the saga move.
beforeAll(async () => {
  p = await startBookingPlatform("reservation_access", { createWaitMs: 0 });
  [host, otherHost, guest, stranger] = await Promise.all([p.host(), p.host(), p.guest(), p.guest()]);
  rt = await listedRoomType(host, { units: 5 });
  booked = await book(guest);
}, 60_000);
afterAll(() => p?.close());

async function book(user: User, token = "tok_visa"): Promise<Reservation> {
  const { reservation } = await user.reservations.createReservation(
    bookingRequest(rt, {
      checkIn: "2027-05-01",
      checkOut: "2027-05-03",
      guests: { adults: 2, children: 0 },
      contact: { fullName: "Kim Minji", email: "minji@example.com", phone: "+821012345678" },
      paymentMethodToken: token,
    }),
  );
  return settled(user, reservation!);
}

const codeOf = async (call: Promise<unknown>) => (await rejectionOf(call, ConnectError)).code;

describe("reading a reservation", () => {
  it("its guest, its host and an admin see it; another guest or host gets NOT_FOUND everywhere", async () => {
    const id = booked.reservationId;
    for (const who of [guest, host, p.admin]) {
      expect((await who.reservations.getReservation({ reservationId: id })).reservation?.status).toBe(ReservationStatus.CONFIRMED);
    }
    for (const who of [stranger, otherHost]) {
      expect(await codeOf(who.reservations.getReservation({ reservationId: id }))).toBe(Code.NotFound);
      expect(await codeOf(who.reservations.getReservationHistory({ reservationId: id }))).toBe(Code.NotFound);
      expect(await codeOf(who.reservations.cancelReservation({ reservationId: id, reason: 1 }))).toBe(Code.NotFound);
      expect(await codeOf(consume(who.reservations.watchReservation({ reservationId: id })))).toBe(Code.NotFound);
    }
    expect(await codeOf(guest.reservations.getReservation({ reservationId: randomUUID() }))).toBe(Code.NotFound);
  });

  it("payments follow the reservation: the guest reads theirs, a stranger gets NOT_FOUND", async () => {
    const { payment } = await guest.payments.getPayment({ paymentId: booked.paymentId });
    expect(payment?.reservationId).toBe(booked.reservationId);
    expect(await codeOf(stranger.payments.getPayment({ paymentId: booked.paymentId }))).toBe(Code.NotFound);
  });

  it("lists a guest's trips, a host's bookings and a property's, never anyone else's", async () => {
    const ids = (rs: { reservations: Reservation[] }) => rs.reservations.map((r) => r.reservationId);
    expect(ids(await guest.reservations.listReservations({}))).toContain(booked.reservationId);
    expect(ids(await stranger.reservations.listReservations({}))).not.toContain(booked.reservationId);
    expect(ids(await host.reservations.listReservations({ hosting: true }))).toContain(booked.reservationId);
    expect(ids(await otherHost.reservations.listReservations({ hosting: true }))).toEqual([]);
    expect(ids(await host.reservations.listReservations({ propertyId: rt.propertyId }))).toContain(booked.reservationId);
    expect(ids(await otherHost.reservations.listReservations({ propertyId: rt.propertyId }))).toEqual([]);
    expect(ids(await p.admin.reservations.listReservations({ propertyId: rt.propertyId }))).toContain(booked.reservationId);
  });

  it("pages a list without repeats or gaps, and filters by status", async () => {
    const more = await Promise.all([book(guest), book(guest), book(guest, "tok_chargeDeclined")]);
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await guest.reservations.listReservations({ pageSize: 2, pageToken });
      seen.push(...page.reservations.map((r) => r.reservationId));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([booked.reservationId, ...more.map((r) => r.reservationId)]));
    const failed = await guest.reservations.listReservations({ statuses: [ReservationStatus.FAILED] });
    expect(failed.reservations.map((r) => r.reservationId)).toEqual([more[2].reservationId]);
  });
});

describe("GetReservationHistory", () => {
  it("lists the events oldest first with the card token redacted", async () => {
    const { events } = await guest.reservations.getReservationHistory({ reservationId: booked.reservationId });
    expect(events.map((e) => e.type.replace("triphub.reservation.v1.", ""))).toEqual([
      "ReservationRequested",
      "RoomsHeld",
      "PaymentAuthorized",
      "ReservationConfirmed",
    ]);
    expect(events.map((e) => e.streamVersion)).toEqual([1n, 2n, 3n, 4n]);
    const requested = fromBinary(ReservationRequestedSchema, events[0].payload!.value);
    expect(requested.paymentMethodToken).toBe("");
    expect(requested.guestId).toBe(guest.userId);
  });
});

describe("WatchReservation", () => {
  it("sends the reservation on every change of a booking in progress and ends once it is confirmed", async () => {
    const { reservation } = await guest.reservations.createReservation(bookingRequest(rt, { checkIn: "2027-06-01", checkOut: "2027-06-02" }));
    const seen: ReservationStatus[] = [];
    for await (const msg of guest.reservations.watchReservation({ reservationId: reservation!.reservationId })) {
      seen.push(msg.reservation!.status);
    }
    expect(seen.at(-1)).toBe(ReservationStatus.CONFIRMED);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

async function consume(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // drain
  }
}
