// The accommodation service over real gRPC on a fresh database, with the real auth service
// beside it for tokens: what production runs, on loopback.
import type { DescMessage, Message, MessageInitShape } from "@bufbuild/protobuf";
import { type Client, type Code, ConnectError } from "@connectrpc/connect";
import { buildServer as buildAuth, MIGRATIONS_FOLDER as AUTH_MIGRATIONS, loadAuthConfig } from "@triphub/auth";
import { BadRequestSchema, ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { Amenity, PropertyType, type PropertySchema } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import { BedType, type RoomTypeSchema } from "@triphub/contracts/triphub/accommodation/v1/room_type_pb";
import { AuthService, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { CancellationPolicy } from "@triphub/contracts/triphub/common/v1/cancellation_policy_pb";
import { createLogger, createServiceClient, createTokenVerifier, type Database, openDatabase } from "@triphub/platform";
import {
  freshDatabase,
  rejectionOf,
  type RunningService,
  serve,
  type TestClock,
  type TestServiceIdentities,
  testClock,
  testServiceIdentities,
} from "@triphub/testkit";
import { buildServer, MIGRATIONS_FOLDER } from "../src/index.js";

const ISSUER = "triphub-auth";
const AUDIENCE = "triphub";
const ADMIN_EMAIL = "admin@triphub.test";
const log = createLogger({ service: "accommodation-test", level: "silent" });

/** A signed-in user of the test platform: their id and a client carrying their token. */
export interface TestUser {
  userId: string;
  token: string;
  refreshToken: string;
  api: Client<typeof AccommodationService>;
}

/** Auth and accommodation, started together; `close` stops both. */
export interface Platform {
  auth: RunningService;
  accommodation: RunningService;
  /** The one clock of auth, accommodation and the token verifiers: "today", hold expiry and token lifetimes. */
  clock: TestClock;
  /** A client calling as the reservation service (its service token): how the booking saga calls the hold RPCs. */
  internal: Client<typeof AccommodationService>;
  /** The service identities auth knows in this platform (for calls as another service). */
  identities: TestServiceIdentities;
  admin: TestUser;
  /** The accommodation service's own database: for what no RPC sets yet (rating summaries). */
  database: Database;
  /** The same user with a fresh access token (their session refreshed at the clock's time), e.g. after the clock jumps. */
  signInAgain(user: TestUser): Promise<TestUser>;
  /** A new account with the given roles (GUEST only when none). */
  user(roles?: Role[]): Promise<TestUser>;
  close(): Promise<void>;
}

let counter = 0;

/** Starts auth and accommodation on fresh databases named after the test file. */
export async function startPlatform(name: string): Promise<Platform> {
  const identities = testServiceIdentities();
  const clock = testClock();
  const authUrl = await freshDatabase({ migrationsFolder: AUTH_MIGRATIONS, name: `${name}_auth` });
  const authDb = await openDatabase({
    url: authUrl,
    migrationsFolder: AUTH_MIGRATIONS,
    log,
    max: 4,
  });
  const auth = await serve(
    await buildAuth({
      config: loadAuthConfig({
        DATABASE_URL: authUrl,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
        SERVICE_CLIENTS: identities.serviceClients,
      }),
      database: authDb,
      log,
      now: clock.now,
      passwordParams: { N: 1024, r: 8, p: 1 },
    }),
  );
  const database = await openDatabase({
    url: await freshDatabase({ migrationsFolder: MIGRATIONS_FOLDER, name }),
    migrationsFolder: MIGRATIONS_FOLDER,
    log,
    max: 8,
  });
  const accommodation = await serve(
    await buildServer({
      config: {
        AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        HOLD_SWEEP_INTERVAL_MS: 100,
      },
      database,
      log,
      now: clock.now,
      verifyToken: createTokenVerifier({ jwks: `${auth.url}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE, now: clock.now }),
    }),
  );

  const signUp = async (email: string) => {
    const res = await auth.client(AuthService).signUp({ email, password: "correct horse battery", displayName: "Test" });
    return { userId: res.user!.userId, token: res.tokens!.accessToken, refreshToken: res.tokens!.refreshToken };
  };
  const asUser = (userId: string, token: string, refreshToken: string): TestUser => ({
    userId,
    token,
    refreshToken,
    api: accommodation.client(AccommodationService, token),
  });
  const refreshed = async (userId: string, refreshToken: string) => {
    const { tokens } = await auth.client(AuthService).refreshToken({ refreshToken });
    return asUser(userId, tokens!.accessToken, tokens!.refreshToken);
  };
  const first = await signUp(ADMIN_EMAIL);
  const admin = asUser(first.userId, first.token, first.refreshToken);

  return {
    auth,
    accommodation,
    clock,
    internal: createServiceClient(AccommodationService, accommodation.url, {
      identity: { tokens: identities.tokens("reservation", auth.url, clock.now), audience: "accommodation" },
    }),
    identities,
    admin,
    database,
    async user(roles = []) {
      const account = await signUp(`user${++counter}-${Date.now()}@example.com`);
      if (roles.length === 0) return asUser(account.userId, account.token, account.refreshToken);
      await auth.client(AuthService, admin.token).setUserRoles({ userId: account.userId, roles });
      // Roles granted after login reach the access token on the next refresh.
      return refreshed(account.userId, account.refreshToken);
    },
    signInAgain: (user) => refreshed(user.userId, user.refreshToken),
    async close() {
      await accommodation.close();
      await auth.close();
    },
  };
}

/** A HOST account. */
export const host = (p: Platform) => p.user([Role.HOST]);

/** The ConnectError a call fails with (fails the test if it succeeds). */
export const rpcError = (call: Promise<unknown>): Promise<ConnectError> => rejectionOf(call, ConnectError);

/** The ErrorInfo reason and the BadRequest field names of an error. */
export function detailsOf(err: ConnectError): { code: Code; reason: string | undefined; fields: string[] } {
  return {
    code: err.code,
    reason: err.findDetails(ErrorInfoSchema)[0]?.reason,
    fields: err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field)),
  };
}

/** The plain-object form of a message, which spreads. */
type Init<D extends DescMessage> = Exclude<MessageInitShape<D>, Message>;

/** A complete property a host can publish once it has a room type. */
export function guesthouse(overrides: Init<typeof PropertySchema> = {}): Init<typeof PropertySchema> {
  return {
    name: "Bukchon Hanok Stay",
    description: "A quiet hanok near the palaces.",
    propertyType: PropertyType.HANOK,
    address: {
      line1: "37 Bukchon-ro 11-gil",
      city: "Seoul",
      region: "Seoul",
      postalCode: "03055",
      countryCode: "KR",
      location: { latitude: 37.5826, longitude: 126.9831 },
    },
    amenities: [Amenity.WIFI, Amenity.ONDOL],
    photos: [{ url: "https://cdn.example.com/a.jpg", caption: "Courtyard" }],
    houseRules: ["No parties"],
    checkInTime: "15:00",
    checkOutTime: "11:00",
    timeZone: "Asia/Seoul",
    currencyCode: "KRW",
    cancellationPolicy: CancellationPolicy.MODERATE,
    ...overrides,
  };
}

/** A room type of `units` double rooms at 120,000 KRW a night. */
export function doubleRoom(units = 3, overrides: Init<typeof RoomTypeSchema> = {}): Init<typeof RoomTypeSchema> {
  return {
    name: "Ondol Double",
    maxAdults: 2,
    maxChildren: 1,
    beds: [{ type: BedType.FLOOR_MATTRESS, count: 2 }],
    unitCount: units,
    baseNightlyPrice: { amountMinor: 120_000n, currencyCode: "KRW" },
    ...overrides,
  };
}

/** A LISTED property of `owner` with one room type of `units` units. */
export async function listedProperty(owner: TestUser, units = 3) {
  const { property } = await owner.api.createProperty({ property: guesthouse() });
  const { roomType } = await owner.api.createRoomType({ propertyId: property!.propertyId, roomType: doubleRoom(units) });
  const published = await owner.api.publishProperty({ propertyId: property!.propertyId });
  return { property: published.property!, roomType: roomType! };
}
