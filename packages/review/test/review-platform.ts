// Review beside what it depends on, over real gRPC on loopback: auth, accommodation, payment
// (its sandbox provider) and reservation, each on its own fresh database with its service
// identity. A stay becomes reviewable the way it does in production: booked through the saga,
// then completed by reservation's stay completer once the (running) clock passes check-out.
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import { buildServer as buildAccommodation, MIGRATIONS_FOLDER as ACCOMMODATION_MIGRATIONS } from "@triphub/accommodation";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { Amenity, PropertyType } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { BedType } from "@triphub/contracts/triphub/accommodation/v1/room_type_pb";
import { Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { ReviewService } from "@triphub/contracts/triphub/review/v1/review_service_pb";
import { buildServer as buildPayment, MIGRATIONS_FOLDER as PAYMENT_MIGRATIONS } from "@triphub/payment";
import type { Database } from "@triphub/platform";
import { buildServer as buildReservation, MIGRATIONS_FOLDER as RESERVATION_MIGRATIONS } from "@triphub/reservation";
import { clientAs, type StackUser, serviceDeps, startAuth, type TestAuth } from "@triphub/test-stack";
import { eventually, freePort, type RunningClock, type RunningService, runningClock, serve } from "@triphub/testkit";
import { buildServer, MIGRATIONS_FOLDER } from "../src/index.js";

const DAY = 24 * 3600_000;

/** A signed-in user and the clients of the services users call. */
export interface User {
  userId: string;
  stack: StackUser;
  reviews: Client<typeof ReviewService>;
  reservations: Client<typeof ReservationService>;
  accommodation: Client<typeof AccommodationService>;
}

export interface ReviewPlatform {
  clock: RunningClock;
  auth: TestAuth;
  readonly review: RunningService;
  readonly accommodation: RunningService;
  /** Review's own database (to look at what a refused request left behind). */
  readonly reviewDb: Database;
  /** A pool of accommodation's database, for the test to read and close. */
  accommodationDb(): Promise<Database>;
  admin: User;
  guest(): Promise<User>;
  host(): Promise<User>;
  /** Anyone, signed in or not, as a client of review. */
  anonymous: Client<typeof ReviewService>;
  /**
   * The same user with a fresh token at the clock's time (after it jumps). Refresh tokens last
   * 30 days: a test that jumps further signs its users in again before.
   */
  again(user: User): Promise<User>;
  /** Stops review and starts it again on the same database and port. */
  restartReview(): Promise<void>;
  /** The same for accommodation (its rating consumer stops and starts with it). */
  restartAccommodation(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the five services on fresh databases named after the test file (`name`). */
export async function startReviewPlatform(name: string): Promise<ReviewPlatform> {
  const clock = runningClock("2026-12-04T09:00:00.000Z");
  const auth = await startAuth({ name, clock, services: ["review"] });
  const deps = (service: string, migrationsFolder: string) => serviceDeps(auth, { service, migrationsFolder, maxConnections: 8 });

  // Review's address is fixed before it starts: accommodation, started first, reads its events.
  const reviewPort = await freePort();
  const acc = await deps("accommodation", ACCOMMODATION_MIGRATIONS);
  const accommodationConfig = { ...acc.config, HOLD_SWEEP_INTERVAL_MS: 200, REVIEW_URL: `http://127.0.0.1:${reviewPort}` };
  let accommodation = await serve(await buildAccommodation({ ...acc, config: accommodationConfig }));
  const accommodationPort = Number(new URL(accommodation.url).port);
  const pay = await deps("payment", PAYMENT_MIGRATIONS);
  const payment = await serve(await buildPayment(pay));
  const res = await deps("reservation", RESERVATION_MIGRATIONS);
  const reservation = await serve(
    await buildReservation({
      ...res,
      config: {
        ...res.config,
        ACCOMMODATION_URL: accommodation.url,
        PAYMENT_URL: payment.url,
        SAGA_DEADLINE_SECONDS: 10,
        CREATE_WAIT_MS: 5_000,
        STAY_COMPLETION_INTERVAL_MS: 100,
      },
      sagaTimings: { leaseMs: 2_000, resumeEveryMs: 200 },
    }),
  );
  const rev = await deps("review", MIGRATIONS_FOLDER);
  const reviewConfig = { ...rev.config, RESERVATION_URL: reservation.url, AUTH_URL: auth.running.url };
  // Review listens where accommodation was told it is. A restarted service comes back at its
  // address, on its database (a new pool: the chassis closed the old one), so clients made
  // before still reach it.
  let reviewDatabase = rev.database;
  let review = await serve(await buildServer({ ...rev, config: reviewConfig }), { port: reviewPort });
  const userOf = (u: StackUser): User => ({
    userId: u.userId,
    stack: u,
    // Review restarts on the same address, so its clients outlive a restart.
    reviews: clientAs(review, ReviewService, u),
    reservations: clientAs(reservation, ReservationService, u),
    accommodation: clientAs(accommodation, AccommodationService, u),
  });

  const latest = new Map<string, StackUser>();
  return {
    clock,
    auth,
    get review() {
      return review;
    },
    get accommodation() {
      return accommodation;
    },
    get reviewDb() {
      return reviewDatabase;
    },
    accommodationDb: () => acc.reopenDatabase(),
    admin: userOf(auth.admin),
    guest: async () => userOf(await auth.signUp()),
    host: async () => userOf(await auth.signUp([Role.HOST])),
    anonymous: clientAs(review, ReviewService, undefined),
    // From the user's newest tokens, whichever copy of the user the test holds: a refresh token
    // is spent once, and spending it again would revoke the session.
    async again(u) {
      const fresh = await auth.signInAgain(latest.get(u.userId) ?? u.stack);
      latest.set(u.userId, fresh);
      return userOf(fresh);
    },
    async restartReview() {
      await review.close();
      reviewDatabase = await rev.reopenDatabase();
      review = await serve(await buildServer({ ...rev, config: reviewConfig, database: reviewDatabase }), { port: reviewPort });
    },
    async restartAccommodation() {
      await accommodation.close();
      const host = await buildAccommodation({ ...acc, config: accommodationConfig, database: await acc.reopenDatabase() });
      accommodation = await serve(host, { port: accommodationPort });
    },
    async close() {
      await review.close();
      await reservation.close();
      await payment.close();
      await accommodation.close();
      await auth.close();
    },
  };
}

/** A listed guesthouse of `host` with one room type; returns its ids. */
export async function listedProperty(host: User, name = "Bukchon Hanok Stay"): Promise<{ propertyId: string; roomTypeId: string }> {
  const { property } = await host.accommodation.createProperty({
    property: {
      name,
      description: "A quiet hanok near the palaces.",
      propertyType: PropertyType.HANOK,
      address: { line1: "37 Bukchon-ro 11-gil", city: "Seoul", region: "Seoul", postalCode: "03055", countryCode: "KR", location: { latitude: 37.58, longitude: 126.98 } },
      amenities: [Amenity.WIFI],
      photos: [{ url: "https://cdn.example.com/a.jpg", caption: "Courtyard" }],
      checkInTime: "15:00",
      checkOutTime: "11:00",
      timeZone: "Asia/Seoul",
      currencyCode: "KRW",
      cancellationPolicy: CancellationPolicy.FLEXIBLE,
    },
  });
  const { roomType } = await host.accommodation.createRoomType({
    propertyId: property!.propertyId,
    roomType: {
      name: "Ondol Double",
      maxAdults: 2,
      maxChildren: 0,
      beds: [{ type: BedType.FLOOR_MATTRESS, count: 2 }],
      unitCount: 50,
      baseNightlyPrice: { amountMinor: 120_000n, currencyCode: "KRW" },
    },
  });
  await host.accommodation.publishProperty({ propertyId: property!.propertyId });
  return { propertyId: property!.propertyId, roomTypeId: roomType!.roomTypeId };
}

const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);

/** A confirmed one-night stay of `guest` at `room`, checking in the day after the clock's today. */
export async function bookedStay(p: ReviewPlatform, guest: User, room: { propertyId: string; roomTypeId: string }): Promise<Reservation> {
  const today = p.clock.now().getTime();
  const { reservation } = await guest.reservations.createReservation({
    requestId: crypto.randomUUID(),
    ...room,
    checkIn: isoDate(today + DAY),
    checkOut: isoDate(today + 2 * DAY),
    guests: { adults: 1, children: 0 },
    units: 1,
    contact: { fullName: "Kim Minji", email: "minji@example.com", phone: "" },
    paymentMethodToken: "tok_visa",
  });
  if (reservation?.status !== ReservationStatus.CONFIRMED) throw new Error(`booking ended ${reservation?.status}`);
  return reservation;
}

/** Jumps the clock past the stay's check-out and waits until reservation has completed it. */
export async function completeStay(p: ReviewPlatform, guest: User, stay: Reservation): Promise<User> {
  // Check-out 11:00 in Seoul is 02:00Z on the check-out date.
  const checkOutAt = new Date(`${stay.checkOut}T02:00:00.000Z`).getTime();
  const ahead = checkOutAt + 60_000 - p.clock.now().getTime();
  if (ahead > 0) p.clock.advance(ahead);
  const back = await p.again(guest);
  await eventually(async () => {
    const { reservation } = await back.reservations.getReservation({ reservationId: stay.reservationId });
    if (reservation?.status !== ReservationStatus.COMPLETED) throw new Error(`still ${reservation?.status}`);
  });
  return back;
}

export { eventually } from "@triphub/testkit";

/** A call's outcome as a code name ("OK", "NotFound", ...), for tables of who may do what. */
export const codeOf = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => "OK",
    (e: unknown) => Code[ConnectError.from(e).code],
  );

/** One completed stay at `room` for each of `guests` (booked together, completed by one jump of the clock). */
export async function completedStays(
  p: ReviewPlatform,
  room: { propertyId: string; roomTypeId: string },
  guests: User[],
): Promise<{ guest: User; stay: Reservation }[]> {
  const booked = [];
  for (const guest of guests) booked.push({ guest, stay: await bookedStay(p, guest, room) });
  const done = [];
  for (const b of booked) done.push({ guest: await completeStay(p, b.guest, b.stay), stay: b.stay });
  return done;
}
