// The booking platform as `npm start` runs it, for the booking benchmark: auth, accommodation,
// payment, reservation and the gateway, each its own process from its real main.ts, on one
// PostgreSQL server (a database per service), calling each other with service identities.
import { randomBytes } from "node:crypto";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { Amenity, PropertyType } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { BedType } from "@triphub/contracts/triphub/accommodation/v1/room_type_pb";
import { AuthService, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { databaseUrl, testSealingKeys, testServiceIdentities } from "@triphub/testkit";
import postgres from "postgres";
import { type ServiceProcess, startService } from "./service-process.js";

const ADMIN_EMAIL = "admin@bench.triphub.test";
const PASSWORD = "benchmark password";

/** The databases of the services, named as the devstack names them. */
export const BOOKING_DATABASES = ["triphub_auth", "triphub_accommodation", "triphub_payment", "triphub_reservation"] as const;

/** The running platform: every process, and where the gateway and the services answer. */
export interface BookingPlatform {
  auth: ServiceProcess;
  accommodation: ServiceProcess;
  payment: ServiceProcess;
  reservation: ServiceProcess;
  gateway: ServiceProcess;
  /** All five, in start order. */
  services: ServiceProcess[];
}

/** A room type that can be booked, and who owns it. */
export interface BookableRoomType {
  propertyId: string;
  roomTypeId: string;
}

/** A signed-in user: id and access token. */
export interface SignedIn {
  userId: string;
  token: string;
}

/**
 * Creates the service databases on `serverUrl` and starts the five processes; each started
 * process is handed to `started` at once, so a failure later still stops it. Services log at
 * warn; BENCH_LOG_LEVEL overrides.
 */
export async function startBookingPlatform(serverUrl: string, started: (s: ServiceProcess) => void): Promise<BookingPlatform> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    for (const db of BOOKING_DATABASES) {
      await admin.unsafe(`drop database if exists ${db} with (force)`);
      await admin.unsafe(`create database ${db}`);
    }
  } finally {
    await admin.end();
  }
  const identities = testServiceIdentities();
  const logLevel = process.env.BENCH_LOG_LEVEL ?? "warn";
  const start = async (name: string, env: Record<string, string>, unset: string[] = []) => {
    const s = await startService(name, name, { LOG_LEVEL: logLevel, ...env }, unset);
    started(s);
    return s;
  };
  const auth = await start("auth", {
    DATABASE_URL: databaseUrl(serverUrl, "triphub_auth"),
    AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
    ...testSealingKeys(),
    SERVICE_CLIENTS: identities.serviceClients,
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
  });
  const common = (name: string) => ({
    AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
    AUTH_TOKEN_URL: `${auth.url}/oauth2/token`,
    SERVICE_CLIENT_SECRET: identities.secretOf(name),
  });
  // Accommodation and payment do not call anyone; they start side by side.
  const [accommodation, payment] = await Promise.all([
    start("accommodation", { ...common("accommodation"), DATABASE_URL: databaseUrl(serverUrl, "triphub_accommodation") }, ["REDIS_URL"]),
    start("payment", { ...common("payment"), DATABASE_URL: databaseUrl(serverUrl, "triphub_payment") }),
  ]);
  const reservation = await start("reservation", {
    ...common("reservation"),
    DATABASE_URL: databaseUrl(serverUrl, "triphub_reservation"),
    // Seals the guests' contacts and card tokens.
    DATA_KEKS: testSealingKeys().DATA_KEKS,
    ACCOMMODATION_URL: accommodation.url,
    PAYMENT_URL: payment.url,
  });
  const gateway = await start("gateway", {
    ...common("gateway"),
    UPSTREAMS: [auth, accommodation, payment, reservation].map((s) => `${s.name}=${s.url}`).join(","),
    // The load comes from one address far above any per-client budget: rate limits are off.
    RATE_LIMITS: "off",
  });
  return { auth, accommodation, payment, reservation, gateway, services: [auth, accommodation, payment, reservation, gateway] };
}

const bearer =
  (token: string): Interceptor =>
  (next) =>
  (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };

/** A gRPC client of `service` at `url`, calling as the holder of `token` (if any). */
export function clientOf<T extends typeof AuthService | typeof AccommodationService>(service: T, url: string, token?: string): Client<T> {
  return createClient(service, createGrpcTransport({ baseUrl: url, interceptors: token ? [bearer(token)] : [], defaultTimeoutMs: 30_000 }));
}

/** Runs `work` for 0..n-1 with at most `width` at a time (sign-up hashes passwords: keep it narrow). */
export async function inParallel<T>(n: number, width: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      for (let i = next++; i < n; i = next++) out[i] = await work(i);
    }),
  );
  return out;
}

/** Signs up the bootstrap admin, `hosts` hosts (HOST role) and `guests` guests, through auth. */
export async function signUpUsers(p: BookingPlatform, counts: { hosts: number; guests: number }): Promise<{ hosts: SignedIn[]; guests: SignedIn[] }> {
  const auth = clientOf(AuthService, p.auth.url);
  const signUp = async (email: string) => {
    const res = await auth.signUp({ email, password: PASSWORD, displayName: "Bench" });
    return { userId: res.user!.userId, token: res.tokens!.accessToken, refreshToken: res.tokens!.refreshToken };
  };
  const admin = await signUp(ADMIN_EMAIL);
  const asAdmin = clientOf(AuthService, p.auth.url, admin.token);
  const hosts = await inParallel(counts.hosts, 2, async (i) => {
    const h = await signUp(`host${i}@bench.triphub.test`);
    await asAdmin.setUserRoles({ userId: h.userId, roles: [Role.HOST] });
    // A token minted after the role change carries it.
    const { tokens } = await auth.refreshToken({ refreshToken: h.refreshToken });
    return { userId: h.userId, token: tokens!.accessToken };
  });
  const guests = await inParallel(counts.guests, 4, async (i) => {
    const g = await signUp(`guest${i}@bench.triphub.test`);
    return { userId: g.userId, token: g.token };
  });
  return { hosts, guests };
}

/** Lists a guesthouse with one room type of `units` rooms for `host`, as a host does through the API. */
export async function listRoomType(p: BookingPlatform, host: SignedIn, i: number, units: number): Promise<BookableRoomType> {
  const acc = clientOf(AccommodationService, p.accommodation.url, host.token);
  const { property } = await acc.createProperty({
    property: {
      name: `Bench Stay ${i}`,
      description: "A guesthouse the booking benchmark books.",
      propertyType: PropertyType.GUESTHOUSE,
      address: { line1: `${i} Bukchon-ro`, city: "Seoul", region: "Seoul", postalCode: "03055", countryCode: "KR", location: { latitude: 37.58, longitude: 126.98 } },
      amenities: [Amenity.WIFI],
      photos: [{ url: "https://cdn.example.com/bench.jpg", caption: "Room" }],
      checkInTime: "15:00",
      checkOutTime: "11:00",
      timeZone: "Asia/Seoul",
      currencyCode: "KRW",
      cancellationPolicy: CancellationPolicy.MODERATE,
    },
  });
  const { roomType } = await acc.createRoomType({
    propertyId: property!.propertyId,
    roomType: {
      name: "Double",
      maxAdults: 2,
      maxChildren: 1,
      beds: [{ type: BedType.DOUBLE, count: 1 }],
      unitCount: units,
      baseNightlyPrice: { amountMinor: 90_000n + BigInt(i % 20) * 5_000n, currencyCode: "KRW" },
    },
  });
  await acc.publishProperty({ propertyId: property!.propertyId });
  return { propertyId: property!.propertyId, roomTypeId: roomType!.roomTypeId };
}

/** Units booked and held on each night of a room type, from the host's calendar. */
export async function calendarOf(p: BookingPlatform, host: SignedIn, rt: BookableRoomType, startDate: string, endDate: string) {
  const { days } = await clientOf(AccommodationService, p.accommodation.url, host.token).getCalendar({ ...rt, startDate, endDate });
  return days.map((d) => ({ date: d.date, booked: d.bookedUnits, held: d.heldUnits, remaining: d.remainingUnits }));
}
