// The booking platform over real gRPC on loopback: auth, accommodation, payment (its sandbox
// provider, counted at the edge) and reservation, each on its own fresh database, calling each
// other with their service identities, as production runs them. Reservation and payment can
// instead be left to the test to run as processes of their own (the crash tests kill them).
import { randomUUID } from "node:crypto";
import type { DescService, Message, MessageInitShape } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  buildServer as buildAccommodation,
  MIGRATIONS_FOLDER as ACCOMMODATION_MIGRATIONS,
} from "@triphub/accommodation";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { Amenity, PropertyType } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { BedType } from "@triphub/contracts/triphub/accommodation/v1/room_type_pb";
import { Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { PaymentService } from "@triphub/contracts/triphub/payment/v1/payment_service_pb";
import { type Reservation, ReservationStatus } from "@triphub/contracts/triphub/reservation/v1/reservation_pb";
import { type CreateReservationRequestSchema, ReservationService } from "@triphub/contracts/triphub/reservation/v1/reservation_service_pb";
import { buildServer as buildPayment, createSandboxProvider, MIGRATIONS_FOLDER as PAYMENT_MIGRATIONS, type PaymentProvider } from "@triphub/payment";
import { createLogger, createServiceClient, createTokenVerifier, type Database, dataKeks, type LiveConfig, openDatabase, openSealer, type Sealer } from "@triphub/platform";
import { type StackUser, startAuth } from "@triphub/test-stack";
import { eventually, freshDatabase, type RunningClock, type RunningService, runningClock, serve, testSealingKeys } from "@triphub/testkit";
import { buildServer, MIGRATIONS_FOLDER } from "../src/index.js";
import type { SagaTimings } from "../src/saga/saga-runner.js";
import { freePort } from "./service-child.js";

const log = createLogger({ service: "booking-test", level: process.env.TEST_LOG_LEVEL ?? "silent" });

// Sagas wait for real answers: the platform's clock runs, and tests jump it ahead.
export { type RunningClock, runningClock } from "@triphub/testkit";

/** Provider calls the sandbox saw, by operation. */
export type ProviderCalls = Record<keyof PaymentProvider, number>;

function countingProvider(): { provider: PaymentProvider; calls: ProviderCalls } {
  const inner = createSandboxProvider(randomUUID);
  const calls: ProviderCalls = { authorize: 0, capture: 0, void: 0, refund: 0 };
  const counted = <T>(name: keyof PaymentProvider, call: () => Promise<T>) => {
    calls[name]++;
    return call();
  };
  return {
    calls,
    provider: {
      authorize: (token, amount) => counted("authorize", () => inner.authorize(token, amount)),
      capture: (ref, amount) => counted("capture", () => inner.capture(ref, amount)),
      void: (ref) => counted("void", () => inner.void(ref)),
      refund: (ref, amount, key) => counted("refund", () => inner.refund(ref, amount, key)),
    },
  };
}

/** A signed-in user with clients of the services users call. */
export interface User {
  userId: string;
  token: string;
  refreshToken: string;
  reservations: Client<typeof ReservationService>;
  payments: Client<typeof PaymentService>;
  accommodation: Client<typeof AccommodationService>;
}

/** A service the test runs as a process of its own: where it must listen and its environment. */
export interface ExternalService {
  url: string;
  /** Everything its main.ts needs (a fresh database, the port, the other services, LOG_LEVEL silent). */
  env: Record<string, string>;
}

export interface BookingPlatform {
  clock: RunningClock;
  /** The sandbox provider's calls (payment in process only). */
  calls: ProviderCalls;
  /** The reservation service, unless it is external. */
  reservation: RunningService | undefined;
  /** The services the test runs itself (see BookingPlatformOptions.external). */
  external: { reservation?: ExternalService; payment?: ExternalService };
  /** The reservation service's own database (in process only; to rebuild its read models). */
  reservationDb: Database | undefined;
  /** Reservation's DATA_KEKS, as its environment has it. */
  reservationKeks: string;
  /** A sealer over reservation's database with its keys, as the service's own (in process only). */
  reservationSealer(): Promise<Sealer>;
  /** A client of the reservation service calling as another service (its service token). */
  reservationAs(service: string): Client<typeof ReservationService>;
  /** Clients calling as the reservation service, to look at holds and payments. */
  asReservation: { accommodation: Client<typeof AccommodationService>; payment: Client<typeof PaymentService> };
  admin: User;
  guest(): Promise<User>;
  host(): Promise<User>;
  /** The same user with a fresh access token at the clock's time (after the clock jumps). */
  signInAgain(user: User): Promise<User>;
  /** Stops accommodation until `startAccommodation` (same address). */
  stopAccommodation(): Promise<void>;
  startAccommodation(): Promise<void>;
  close(): Promise<void>;
}

export interface BookingPlatformOptions {
  /** The saga's deadline (SAGA_DEADLINE_SECONDS). */
  deadlineSeconds?: number;
  sagaTimings?: Partial<SagaTimings>;
  createWaitMs?: number;
  /**
   * Services not started here: the platform gives each a database and a port and hands their
   * environment out (`external`); users' clients call that port. The clock then starts at the
   * system time, which those processes run on.
   */
  external?: { reservation?: boolean; payment?: boolean };
  /** Reservation's central configuration (its hold length). */
  liveConfig?: LiveConfig;
}

/** A client of `service` at `url` over gRPC, with `token` as the bearer when given. */
function clientAt<T extends DescService>(url: string, service: T, token?: string): Client<T> {
  const auth = token === undefined ? [] : [bearer(token)];
  return createClient(service, createGrpcTransport({ baseUrl: url, interceptors: auth }));
}

const bearer =
  (token: string): Interceptor =>
  (next) =>
  (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };

/** Starts the four services on fresh databases named after the test file (`name`). */
export async function startBookingPlatform(name: string, opts: BookingPlatformOptions = {}): Promise<BookingPlatform> {
  const external = opts.external ?? {};
  const clock = runningClock(external.reservation || external.payment ? new Date().toISOString() : "2026-12-04T09:00:00.000Z");
  const open = async (folder: string, db: string, max = 8): Promise<Database> =>
    openDatabase({ url: await freshDatabase({ migrationsFolder: folder, name: db }), migrationsFolder: folder, log, max });

  const auth = await startAuth({ name, clock });
  const tokenConfig = { AUTH_JWKS_URL: auth.jwksUrl, AUTH_ISSUER: auth.issuer, AUTH_AUDIENCE: auth.audience };
  const verifier = () => createTokenVerifier({ jwks: auth.jwksUrl, issuer: auth.issuer, audience: auth.audience, now: clock.now });

  // The chassis closes a service's database when the service closes: a restart opens it again.
  const accommodationUrl = await freshDatabase({ migrationsFolder: ACCOMMODATION_MIGRATIONS, name: `${name}_accommodation` });
  const buildAcc = async () =>
    buildAccommodation({
      config: { ...tokenConfig, HOLD_SWEEP_INTERVAL_MS: 200 },
      database: await openDatabase({ url: accommodationUrl, migrationsFolder: ACCOMMODATION_MIGRATIONS, log, max: 8 }),
      log,
      now: clock.now,
      verifyToken: verifier(),
    });
  let accommodation = await serve(await buildAcc());
  const accommodationPort = Number(new URL(accommodation.url).port);

  const outside = async (migrations: string, db: string, env: Record<string, string>): Promise<ExternalService> => {
    const port = await freePort();
    const DATABASE_URL = await freshDatabase({ migrationsFolder: migrations, name: db });
    return { url: `http://127.0.0.1:${port}`, env: { ...tokenConfig, DATABASE_URL, PORT: String(port), LOG_LEVEL: "silent", ...env } };
  };
  const { provider, calls } = countingProvider();
  const externalPayment = external.payment ? await outside(PAYMENT_MIGRATIONS, `${name}_payment`, {}) : undefined;
  const payment = externalPayment
    ? undefined
    : await serve(
        await buildPayment({ config: tokenConfig, database: await open(PAYMENT_MIGRATIONS, `${name}_payment`), log, now: clock.now, verifyToken: verifier(), provider }),
      );
  const paymentUrl = externalPayment?.url ?? payment!.url;

  const sealing = testSealingKeys();
  const reservationConfig = {
    ...tokenConfig,
    ...auth.identityConfig("reservation"),
    ACCOMMODATION_URL: accommodation.url,
    PAYMENT_URL: paymentUrl,
    SAGA_DEADLINE_SECONDS: opts.deadlineSeconds ?? 10,
    CREATE_WAIT_MS: opts.createWaitMs ?? 5_000,
    STAY_COMPLETION_INTERVAL_MS: 200,
  };
  const timings = { leaseMs: 2_000, resumeEveryMs: 200, ...opts.sagaTimings };
  const externalReservation = external.reservation
    ? await outside(MIGRATIONS_FOLDER, name, {
        ...Object.fromEntries(Object.entries(reservationConfig).map(([k, v]) => [k, String(v)])),
        SAGA_LEASE_MS: String(timings.leaseMs),
        SAGA_RESUME_EVERY_MS: String(timings.resumeEveryMs),
        DATA_KEKS: sealing.DATA_KEKS,
      })
    : undefined;
  const reservationDb = externalReservation ? undefined : await open(MIGRATIONS_FOLDER, name, 16);
  const reservation = !reservationDb
    ? undefined
    : await serve(
        await buildServer({
          config: { ...reservationConfig, DATA_KEKS: dataKeks.parse(sealing.DATA_KEKS) },
          database: reservationDb,
          log,
          now: clock.now,
          verifyToken: verifier(),
          sagaTimings: timings,
          liveConfig: opts.liveConfig,
        }),
      );
  const reservationUrl = externalReservation?.url ?? reservation!.url;

  const asUser = (userId: string, token: string, refreshToken: string): User => ({
    userId,
    token,
    refreshToken,
    reservations: clientAt(reservationUrl, ReservationService, token),
    payments: clientAt(paymentUrl, PaymentService, token),
    accommodation: accommodation.client(AccommodationService, token),
  });
  const signedIn = (u: StackUser) => asUser(u.userId, u.token, u.refreshToken);
  const tokens = auth.asService("reservation").tokens;

  return {
    clock,
    calls,
    reservation,
    reservationDb,
    reservationKeks: sealing.DATA_KEKS,
    reservationSealer: () => openSealer(reservationDb!.db, { keks: dataKeks.parse(sealing.DATA_KEKS), log, now: clock.now }),
    reservationAs: (service) =>
      createServiceClient(ReservationService, reservationUrl, { identity: { tokens: auth.asService(service).tokens, audience: "reservation" } }),
    external: { reservation: externalReservation, payment: externalPayment },
    asReservation: {
      accommodation: createServiceClient(AccommodationService, accommodation.url, { identity: { tokens, audience: "accommodation" } }),
      payment: createServiceClient(PaymentService, paymentUrl, { identity: { tokens, audience: "payment" } }),
    },
    admin: signedIn(auth.admin),
    guest: async () => signedIn(await auth.signUp()),
    host: async () => signedIn(await auth.signUp([Role.HOST])),
    signInAgain: async (user) => signedIn(await auth.signInAgain(user)),
    async stopAccommodation() {
      await accommodation.close();
    },
    async startAccommodation() {
      const host = await buildAcc();
      await host.listen({ port: accommodationPort, host: "127.0.0.1" });
      accommodation = { ...accommodation, host, close: () => host.close() };
    },
    async close() {
      await reservation?.close();
      await payment?.close();
      await accommodation.close();
      await auth.close();
    },
  };
}

/** A LISTED guesthouse of `owner` with one room type of `units` double rooms at `nightly` KRW. */
export async function listedRoomType(
  owner: User,
  opts: { units?: number; nightly?: bigint; policy?: CancellationPolicy; minStay?: number } = {},
): Promise<{ propertyId: string; roomTypeId: string }> {
  const { property } = await owner.accommodation.createProperty({
    property: {
      name: "Bukchon Hanok Stay",
      description: "A quiet hanok near the palaces.",
      propertyType: PropertyType.HANOK,
      address: { line1: "37 Bukchon-ro 11-gil", city: "Seoul", region: "Seoul", postalCode: "03055", countryCode: "KR", location: { latitude: 37.58, longitude: 126.98 } },
      amenities: [Amenity.WIFI],
      photos: [{ url: "https://cdn.example.com/a.jpg", caption: "Courtyard" }],
      checkInTime: "15:00",
      checkOutTime: "11:00",
      timeZone: "Asia/Seoul",
      currencyCode: "KRW",
      cancellationPolicy: opts.policy ?? CancellationPolicy.MODERATE,
    },
  });
  const { roomType } = await owner.accommodation.createRoomType({
    propertyId: property!.propertyId,
    roomType: {
      name: "Ondol Double",
      maxAdults: 2,
      maxChildren: 1,
      beds: [{ type: BedType.FLOOR_MATTRESS, count: 2 }],
      unitCount: opts.units ?? 3,
      baseNightlyPrice: { amountMinor: opts.nightly ?? 120_000n, currencyCode: "KRW" },
    },
  });
  await owner.accommodation.publishProperty({ propertyId: property!.propertyId });
  return { propertyId: property!.propertyId, roomTypeId: roomType!.roomTypeId };
}

export { eventually } from "@triphub/testkit";

const IN_SAGA = new Set([ReservationStatus.REQUESTED, ReservationStatus.ROOMS_HELD, ReservationStatus.PAYMENT_AUTHORIZED]);

/** The reservation once its saga is over (CreateReservation may answer before, under load). */
export async function settled(user: User, r: Reservation, ms = 60_000): Promise<Reservation> {
  if (!IN_SAGA.has(r.status)) return r;
  return eventually(async () => {
    const { reservation } = await user.reservations.getReservation({ reservationId: r.reservationId });
    if (IN_SAGA.has(reservation!.status)) throw new Error(`still ${reservation!.status}`);
    return reservation!;
  }, ms);
}

/** The plain-object form of a CreateReservation request. */
type BookingInit = Exclude<MessageInitShape<typeof CreateReservationRequestSchema>, Message>;

/**
 * A CreateReservation request for one unit of `rt` with a fresh request id: one adult, a
 * `tok_visa` card and a contact, for the dates and anything else in `changes`.
 */
export function bookingRequest(
  rt: { propertyId: string; roomTypeId: string },
  changes: Partial<BookingInit> & { checkIn: string; checkOut: string },
): BookingInit {
  return {
    requestId: randomUUID(),
    ...rt,
    guests: { adults: 1, children: 0 },
    units: 1,
    contact: { fullName: "Kim Minji", email: "minji@example.com", phone: "" },
    paymentMethodToken: "tok_visa",
    ...changes,
  };
}
