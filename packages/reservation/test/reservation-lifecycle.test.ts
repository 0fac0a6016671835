
import { fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { type ReservationRequested, ReservationRequestedSchema } from "@triphub/contracts/triphub/reservation/v1/events_pb";
import { type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { rejectionOf } from "@triphub/testkit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildReadModels } from "../src/index.js";
import type { ReservationDb } from "../src/store/db.js";
import { openReservationData } from "../src/store/personal-data.js";
import { bookingRequest, type BookingPlatform, eventually, listedRoomType, settled, startBookingPlatform, type User } from "./booking-platform.js";

let p: BookingPlatform;
let host: User;
let guest: User;
let rt: { propertyId: string; roomTypeId: string };

beforeAll(async () => {
  p = await startBookingPlatform("reservation_lifecycle");
  [host, guest] = await Promise.all([p.host(), p.guest()]);
  rt = await listedRoomType(host, { units: 5 });
}, 60_000);
afterAll(() => p?.close());

async function book(checkIn: string, checkOut: string, token = "tok_visa", specialRequests = ""): Promise<Reservation> {
  const { reservation } = await guest.reservations.createReservation(bookingRequest(rt, { checkIn, checkOut, paymentMethodToken: token, specialRequests }));
  return settled(guest, reservation!);
}

describe("StreamEvents", () => {
  it("delivers every reservation event in order to review, and to no one else", async () => {
    const r = await book("2027-01-05", "2027-01-06", "tok_visa", "A quiet room, please");
    const types: string[] = [];
    let requested: ReservationRequested | undefined;
    for await (const batch of p.reservationAs("review").streamEvents({ stopAtHead: true })) {
      for (const e of batch.events) {
        if (e.streamId !== r.reservationId) continue;
        types.push(e.type.replace("triphub.reservation.v1.", ""));
        if (e.type === ReservationRequestedSchema.typeName) requested = fromBinary(ReservationRequestedSchema, e.payload!.value);
      }
    }
    expect(types).toEqual(["ReservationRequested", "RoomsHeld", "PaymentAuthorized", "ReservationConfirmed"]);
    // The card token stays in the service, and the guest's contact and requests go to no other service.
    expect(requested).toMatchObject({ guestId: guest.userId, paymentMethodToken: "", specialRequests: "" });
    expect(requested?.contact).toBeUndefined();
    const own = (await guest.reservations.getReservation({ reservationId: r.reservationId })).reservation;
    expect([own?.contact?.email, own?.specialRequests]).toEqual([expect.stringContaining("@"), "A quiet room, please"]);
    const drain = async (stream: AsyncIterable<unknown>) => {
      for await (const _ of stream);
    };
    expect((await rejectionOf(drain(p.reservationAs("accommodation").streamEvents({ stopAtHead: true })), ConnectError)).code).toBe(Code.PermissionDenied);
    expect((await rejectionOf(drain(guest.reservations.streamEvents({ stopAtHead: true })), ConnectError)).code).toBe(Code.PermissionDenied);
  });
});

describe("rebuilding the read models", () => {
  it("replays the log into rows identical to the live ones (the contact sealed anew)", async () => {
    await book("2027-02-01", "2027-02-03", "tok_chargeDeclined");
    const cancelled = await book("2027-02-05", "2027-02-06");
    await guest.reservations.cancelReservation({ reservationId: cancelled.reservationId, reason: 1 });
    const db = p.reservationDb!.db as ReservationDb;
    const sealer = await p.reservationSealer();
    // Every column as stored, and `data` as it opens: sealing uses a fresh IV each time, so
    // the ciphertext of the contact differs and only its plaintext can be compared.
    const snapshot = async () =>
      (await db.execute<{ reservation_id: string; data: Uint8Array }>(sql`select * from reservations order by reservation_id`)).map((r) => ({
        ...r,
        data: openReservationData(sealer, r.reservation_id, r.data),
      }));
    await eventually(async () => {
      const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from saga_work`);
      if (row?.n !== 0) throw new Error("sagas still running");
    });
    const live = await snapshot();
    expect(live.length).toBeGreaterThanOrEqual(3);
    const replayed = await rebuildReadModels(db, sealer);
    expect(replayed).toBeGreaterThan(live.length);
    expect(await snapshot()).toEqual(live);
  });
});

// Last: it moves the clock days ahead.
describe("the end of a stay", () => {
  it("completes a confirmed stay once its check-out time has passed at the property, and not before", async () => {
    // Check-out 2026-12-10 at 11:00 in Seoul is 02:00Z.
    const r = await book("2026-12-08", "2026-12-10");
    expect(r.status).toBe(ReservationStatus.CONFIRMED);
    const later = await book("2026-12-20", "2026-12-22");
    const until = new Date("2026-12-10T02:00:00.000Z").getTime();
    p.clock.advance(until - p.clock.now().getTime() + 1_000);
    // Access tokens expired with the jump.
    const back = await p.signInAgain(guest);
    const done = await eventually(async () => {
      const { reservation } = await back.reservations.getReservation({ reservationId: r.reservationId });
      if (reservation?.status !== ReservationStatus.COMPLETED) throw new Error(`still ${reservation?.status}`);
      return reservation;
    });
    expect(done.version).toBe(r.version + 1n);
    const { reservation: notYet } = await back.reservations.getReservation({ reservationId: later.reservationId });
    expect(notYet?.status).toBe(ReservationStatus.CONFIRMED);
    const cancel = back.reservations.cancelReservation({ reservationId: r.reservationId, reason: 1 });
    expect((await rejectionOf(cancel, ConnectError)).code).toBe(Code.FailedPrecondition);
  });
});
