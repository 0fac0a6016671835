
import { ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bookingRequest, type BookingPlatform, listedRoomType, settled, startBookingPlatform, type User } from "./booking-platform.js";

let p: BookingPlatform;
let host: User;
let guest: User;

// CreateReservation answers at once, and a saga that stopped would wait a minute for its lease:
// only a saga that keeps going confirms within the test's time.
beforeAll(async () => {
  p = await startBookingPlatform("saga_outlives_call", { createWaitMs: 0, sagaTimings: { leaseMs: 60_000, resumeEveryMs: 60_000 } });
  [host, guest] = await Promise.all([p.host(), p.guest()]);
}, 60_000);
afterAll(() => p?.close());

it("confirms bookings whose CreateReservation answered before the saga ran", async () => {
  const rt = await listedRoomType(host, { units: 10 });
  const booked = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const { reservation } = await guest.reservations.createReservation(bookingRequest(rt, { checkIn: "2027-08-01", checkOut: "2027-08-02" }));
      expect(reservation?.status).toBe(ReservationStatus.REQUESTED);
      return reservation!;
    }),
  );
  const final = await Promise.all(booked.map((r) => settled(guest, r, 20_000)));
  expect(final.map((r) => r.status)).toEqual(booked.map(() => ReservationStatus.CONFIRMED));
}, 40_000);
